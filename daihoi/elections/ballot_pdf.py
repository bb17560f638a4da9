"""The printable ballot (phiếu bầu cử) as PDF: a pure function of a BallotSpec, no database.

What a ballot shows (domain.md §6, 244-QĐ/TW Điều 17.1): an empty area at the top left for the
convening committee's stamp, the congress, "PHIẾU BẦU CỬ", the body elected, the number to elect,
the numbered list of names in ballot order, and how to vote. Three kinds (BallotKind): "strike"
(with surplus: strike through the names you reject), "agree" (no surplus: Đồng ý / Không đồng ý
columns), "single" (one candidate, the same two columns).

A ballot is secret, so every copy is the same: the page is drawn once as a Form XObject and each
copy only places it. No serial number, barcode, date of printing or page number is printed, and
the file is rendered with reportlab's invariant mode, so the same spec gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from daihoi.core.office.fonts import BOLD, REGULAR, register_fonts
from daihoi.elections.counting import ballot_order
from daihoi.elections.rules import BallotKind
from daihoi.vietnamese import collapse_whitespace, nfc

__all__ = [
    "PAGE_SIZES",
    "BallotError",
    "BallotSpec",
    "Layout",
    "ballot_order",
    "choose_layout",
    "render_ballots",
]

PAGE_SIZES = ("auto", "A5", "A4")

# The printed ballot is an official Vietnamese paper whatever the reader's language: its fixed
# words are not translated (as the badges in delegates/services/badges.py).
TITLE = "PHIẾU BẦU CỬ"
STAMP_LABEL = "Dấu của cấp ủy triệu tập đại hội"  # 244-QĐ/TW Điều 17.1: stamp at the top left
SEATS_LINE = "Bầu {seats} đồng chí"
ROUND_LINE = "Bầu lần thứ {round}"
HEAD_NUMBER, HEAD_NAME, HEAD_AGREE, HEAD_DISAGREE = "STT", "Họ và tên", "Đồng ý", "Không đồng ý"
HOW_TO = "Cách bầu: "
# "gạch giữa cả chữ họ và tên" is the wording of 244-QĐ/TW Điều 17.1.
INSTRUCTIONS = {
    BallotKind.STRIKE: (
        "Đồng ý bầu đồng chí nào thì giữ nguyên họ và tên đồng chí đó; không đồng ý bầu đồng "
        "chí nào thì gạch ngang giữa cả chữ họ và tên đồng chí đó. Số người được giữ lại không "
        "quá {seats} đồng chí, giữ lại quá số đó thì phiếu không hợp lệ. Không gạch hết tên trong "
        "danh sách, không ghi thêm tên hay ký hiệu nào khác lên phiếu."
    ),
    BallotKind.AGREE: (
        "Với mỗi đồng chí trong danh sách, đồng ý bầu thì đánh dấu X vào ô «Đồng ý», không đồng "
        "ý thì đánh dấu X vào ô «Không đồng ý»; mỗi đồng chí chỉ đánh dấu vào một ô. Không ghi "
        "thêm tên hay ký hiệu nào khác lên phiếu."
    ),
    BallotKind.SINGLE: (
        "Đồng ý bầu thì đánh dấu X vào ô «Đồng ý», không đồng ý thì đánh dấu X vào ô «Không đồng "
        "ý». Chỉ đánh dấu vào một trong hai ô; không ghi thêm tên hay ký hiệu nào khác lên phiếu."
    ),
}

GRID = Color(0.25, 0.25, 0.25)
STAMP_LINE = Color(0.45, 0.45, 0.48)


class BallotError(ValueError):
    """The spec cannot be printed as a ballot; the message (Vietnamese) says why."""


def _clean(text: str) -> str:
    """NFC (input arrives in NFC and NFD, domain.md §8), single spaces, no ends."""
    return collapse_whitespace(nfc(text or ""))


@dataclass(frozen=True)
class BallotSpec:
    """What one ballot prints. `names` are already in ballot order (see `ballot_order`)."""

    congress: str  # "Đại hội đại biểu lần thứ XVII Đảng bộ thành phố Hà Nội, nhiệm kỳ 2020–2025"
    body: str  # what is elected: "Ban Chấp hành Đảng bộ thành phố khóa XVII"
    seats: int
    kind: BallotKind
    names: tuple[str, ...]
    round: int = 1  # 1 prints nothing; 2 and more print "Bầu lần thứ N"
    page_size: str = "auto"  # "auto": A5 when the list fits there, else A4

    def __post_init__(self) -> None:
        # Frozen: normalised values are set through object.__setattr__.
        object.__setattr__(self, "congress", _clean(self.congress))
        object.__setattr__(self, "body", _clean(self.body))
        if isinstance(self.names, str):
            raise BallotError("Danh sách bầu cử phải là một dãy họ tên, không phải một chuỗi.")
        object.__setattr__(self, "names", tuple(_clean(name) for name in self.names))
        try:
            object.__setattr__(self, "kind", BallotKind(self.kind))
        except ValueError:
            raise BallotError(f"Loại phiếu không hợp lệ: «{self.kind}».") from None
        if self.page_size not in PAGE_SIZES:
            raise BallotError(f"Khổ giấy không hợp lệ: «{self.page_size}» (A4, A5 hoặc auto).")
        if not self.congress or not self.body:
            raise BallotError("Phiếu bầu cần ghi tên đại hội và cơ quan được bầu.")
        if isinstance(self.seats, bool) or not isinstance(self.seats, int) or self.seats < 1:
            raise BallotError("Số lượng cần bầu phải là số nguyên dương.")
        if isinstance(self.round, bool) or not isinstance(self.round, int) or self.round < 1:
            raise BallotError("Lần bầu phải là số nguyên dương.")
        if not self.names or any(not name for name in self.names):
            raise BallotError("Danh sách bầu cử không có tên hoặc có dòng trống.")
        if len(set(self.names)) != len(self.names):
            raise BallotError(
                "Danh sách bầu cử có hai người trùng họ và tên; cần ghi thêm thông tin phân biệt."
            )
        count = len(self.names)
        if self.kind == BallotKind.STRIKE and count <= self.seats:
            raise BallotError("Phiếu gạch tên cần danh sách dài hơn số lượng cần bầu (có số dư).")
        if self.kind == BallotKind.AGREE and count > self.seats:
            raise BallotError("Danh sách có số dư: dùng phiếu gạch tên, không dùng phiếu đồng ý.")
        if self.kind == BallotKind.SINGLE and (count != 1 or self.seats != 1):
            raise BallotError("Phiếu một ứng cử viên có đúng một tên và bầu một đồng chí.")


# --- Layout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """Sizes that depend on the sheet; row sizes are chosen by `_try_layout`."""

    name: str
    size: tuple[float, float]
    margin: float
    stamp: tuple[float, float]  # width, height of the stamp area
    congress_pt: float
    title_pt: float
    body_pt: float
    line_pt: float  # "Bầu N đồng chí", "Bầu lần thứ N"
    head_pt: float  # table header
    note_pt: float  # instructions
    name_max: float  # largest and smallest size of the names
    name_min: float


_A5 = _Format("A5", A5, 10 * mm, (42 * mm, 24 * mm), 8.5, 17, 11.5, 10.5, 9, 8.5, 14, 11)
_A4 = _Format("A4", A4, 10 * mm, (44 * mm, 26 * mm), 9.5, 19, 12.5, 11.5, 9.5, 9.5, 15, 8)
ONE_COLUMN_MAX = 25  # more names than this on A4 go in two columns
LEADING = 1.2  # line height of header and instruction text, times the font size
ROW = 1.4  # table row height, times the name size: room to strike through a name by hand
GUTTER = 6 * mm  # between the two columns of names
NAME_PAD = 10  # left and right padding of a name in its cell


@dataclass(frozen=True)
class Layout:
    """Where things go on one ballot: the sheet, the columns of names and their size."""

    fmt: _Format
    columns: int
    rows: int  # rows per column
    name_pt: float
    congress_lines: tuple[str, ...]
    body_lines: tuple[str, ...]
    note_lines: tuple[str, ...]
    head_lines: tuple[tuple[str, ...], ...]  # each header cell, wrapped
    widths: tuple[float, ...]  # column widths of one table

    @property
    def page(self) -> str:
        """The sheet of one ballot: A4 or A5."""
        return self.fmt.name

    @property
    def row_h(self) -> float:
        return self.name_pt * ROW

    @property
    def head_h(self) -> float:
        return max(len(lines) for lines in self.head_lines) * self.fmt.head_pt * LEADING + 6


def _table_widths(spec: BallotSpec, fmt: _Format, width: float) -> tuple[float, ...]:
    widest = f"{len(spec.names)}."
    number = (
        max(stringWidth(HEAD_NUMBER, BOLD, fmt.head_pt), stringWidth(widest, REGULAR, fmt.name_max))
        + 10
    )
    if spec.kind == BallotKind.STRIKE:
        return (number, width - number)
    box = max(16 * mm, stringWidth(HEAD_AGREE, BOLD, fmt.head_pt) + 8)
    return (number, width - number - 2 * box, box, box)


def _try_layout(spec: BallotSpec, fmt: _Format, columns: int) -> Layout | None:
    """The largest name size that fits this sheet and number of columns, or None."""
    page_w, page_h = fmt.size
    inner = page_w - 2 * fmt.margin
    beside_stamp = inner - fmt.stamp[0] - 4 * mm
    congress_lines = tuple(simpleSplit(spec.congress, BOLD, fmt.congress_pt, beside_stamp))
    body_lines = tuple(simpleSplit(spec.body, BOLD, fmt.body_pt, inner))
    note = HOW_TO + INSTRUCTIONS[spec.kind].format(seats=spec.seats)
    note_lines = tuple(simpleSplit(note, REGULAR, fmt.note_pt, inner))
    table_w = (inner - (columns - 1) * GUTTER) / columns
    widths = _table_widths(spec, fmt, table_w)
    heads = (HEAD_NUMBER, HEAD_NAME, HEAD_AGREE, HEAD_DISAGREE)[: len(widths)]
    head_lines = tuple(
        tuple(simpleSplit(head, BOLD, fmt.head_pt, w - 4))
        for head, w in zip(heads, widths, strict=True)
    )
    rows = -(-len(spec.names) // columns)
    layout = Layout(
        fmt, columns, rows, fmt.name_max, congress_lines, body_lines, note_lines, head_lines, widths
    )
    table_top = _header(None, spec, fmt, congress_lines, body_lines)
    notes_h = len(note_lines) * fmt.note_pt * LEADING + 3 * mm
    free = table_top - layout.head_h - fmt.margin - notes_h
    name_pt = min(fmt.name_max, free / rows / ROW)
    if name_pt < fmt.name_min:
        return None
    # One size for every name when the longest fits at a readable size; a name still too long
    # at name_min is shrunk alone when drawn (see _fit).
    longest = max(stringWidth(name, REGULAR, 1) for name in spec.names)
    name_pt = max(fmt.name_min, min(name_pt, (widths[1] - NAME_PAD) / longest))
    # Round down to a quarter point so the layout does not depend on float noise.
    return replace(layout, name_pt=int(name_pt * 4) / 4)


def choose_layout(spec: BallotSpec) -> Layout:
    """A5 in one column when the list fits; else A4, in two columns above ONE_COLUMN_MAX names."""
    register_fonts()
    a4_columns = 1 if len(spec.names) <= ONE_COLUMN_MAX else 2
    tries = {"A5": [(_A5, 1)], "A4": [(_A4, a4_columns)]}
    order = tries["A5"] + tries["A4"] if spec.page_size == "auto" else tries[spec.page_size]
    for fmt, columns in order:
        layout = _try_layout(spec, fmt, columns)
        if layout is not None:
            return layout
    raise BallotError(
        f"Danh sách {len(spec.names)} tên không in vừa một phiếu khổ "
        f"{'A4' if spec.page_size == 'auto' else spec.page_size}."
    )


# --- Drawing ----------------------------------------------------------------------------------


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The size at which `text` fits `width` on one line: a long name is shrunk, never cut."""
    natural = stringWidth(text, font, size)
    return size if natural <= width else size * width / natural


def _lines(
    canvas: Canvas | None, lines: Sequence[str], font: str, size: float, cx: float, top: float
) -> float:
    """Draw lines centred on cx from `top` down (only measure without a canvas); return the y
    below the last one."""
    if canvas is not None:
        canvas.setFont(font, size)
    y = top
    for line in lines:
        y -= size * LEADING
        if canvas is not None:
            canvas.drawCentredString(cx, y + size * (LEADING - 1), line)
    return y


def _header(
    canvas: Canvas | None,
    spec: BallotSpec,
    fmt: _Format,
    congress_lines: Sequence[str],
    body_lines: Sequence[str],
) -> float:
    """Stamp area, congress, title, round, body and seats; return the y where the table starts.
    Without a canvas, only measure (the layout and the drawing share this code)."""
    page_w, page_h = fmt.size
    left, top = fmt.margin, page_h - fmt.margin
    stamp_w, stamp_h = fmt.stamp
    if canvas is not None:
        _stamp_area(canvas, fmt, left, top)
    # The congress, centred in the space right of the stamp area.
    beside = left + stamp_w + 4 * mm
    beside_cx = (beside + page_w - fmt.margin) / 2
    y = _lines(canvas, congress_lines, BOLD, fmt.congress_pt, beside_cx, top) - 2 * mm
    # The title centred on the page, beside the stamp area when it clears it, else below.
    title_w = stringWidth(TITLE, BOLD, fmt.title_pt)
    if page_w / 2 - title_w / 2 < beside:
        y = min(y, top - stamp_h - 2 * mm)
    y = _lines(canvas, [TITLE], BOLD, fmt.title_pt, page_w / 2, y)
    y = min(y, top - stamp_h) - 2 * mm
    if spec.round > 1:
        y = _lines(
            canvas, [ROUND_LINE.format(round=spec.round)], REGULAR, fmt.line_pt, page_w / 2, y
        )
    y = _lines(canvas, body_lines, BOLD, fmt.body_pt, page_w / 2, y)
    y = _lines(canvas, [SEATS_LINE.format(seats=spec.seats)], REGULAR, fmt.line_pt, page_w / 2, y)
    return y - 3 * mm


def _stamp_area(canvas: Canvas, fmt: _Format, x: float, top: float) -> None:
    w, h = fmt.stamp
    canvas.setStrokeColor(STAMP_LINE)
    canvas.setLineWidth(0.6)
    canvas.setDash(3, 2)
    canvas.rect(x, top - h, w, h, stroke=1, fill=0)
    canvas.setDash()
    canvas.setFillColor(STAMP_LINE)
    label = simpleSplit(STAMP_LABEL, REGULAR, 6.5, w - 6)
    canvas.setFont(REGULAR, 6.5)
    for i, line in enumerate(reversed(label)):
        canvas.drawCentredString(x + w / 2, top - h + 3 + i * 6.5 * LEADING, line)
    canvas.setFillColor(black)


def _table(
    canvas: Canvas, layout: Layout, names: Sequence[tuple[int, str]], x: float, top: float
) -> None:
    """One table: header row, then a row per name (STT, name, and the two boxes if any)."""
    fmt, widths = layout.fmt, layout.widths
    lefts = [x + sum(widths[:i]) for i in range(len(widths))]
    right = x + sum(widths)
    head_bottom = top - layout.head_h
    bottom = head_bottom - len(names) * layout.row_h
    # Header text, vertically centred in its cell.
    canvas.setFillColor(black)
    canvas.setFont(BOLD, fmt.head_pt)
    for left, w, lines in zip(lefts, widths, layout.head_lines, strict=True):
        block = len(lines) * fmt.head_pt * LEADING
        y = head_bottom + (layout.head_h - block) / 2 + block
        for line in lines:
            y -= fmt.head_pt * LEADING
            canvas.drawCentredString(left + w / 2, y + fmt.head_pt * 0.3, line)
    # Rows: the number right-aligned in its column, the name left-aligned.
    baseline = layout.name_pt * 0.35  # above the row's vertical centre
    for i, (number, name) in enumerate(names):
        centre = head_bottom - (i + 0.5) * layout.row_h
        canvas.setFont(REGULAR, layout.name_pt)
        canvas.drawRightString(lefts[0] + widths[0] - 5, centre - baseline, f"{number}.")
        size = _fit(name, REGULAR, layout.name_pt, widths[1] - NAME_PAD)
        canvas.setFont(REGULAR, size)
        canvas.drawString(lefts[1] + 6, centre - size * 0.35, name)
    # Grid.
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    path = canvas.beginPath()
    for y in [top, head_bottom] + [head_bottom - (i + 1) * layout.row_h for i in range(len(names))]:
        path.moveTo(x, y)
        path.lineTo(right, y)
    for vx in [*lefts, right]:
        path.moveTo(vx, top)
        path.lineTo(vx, bottom)
    canvas.drawPath(path, stroke=1, fill=0)


def _draw_ballot(canvas: Canvas, spec: BallotSpec, layout: Layout) -> None:
    fmt = layout.fmt
    left = fmt.margin
    y = _header(canvas, spec, fmt, layout.congress_lines, layout.body_lines)
    numbered = list(enumerate(spec.names, start=1))
    table_w = sum(layout.widths)
    for column in range(layout.columns):
        chunk = numbered[column * layout.rows : (column + 1) * layout.rows]
        if chunk:
            _table(canvas, layout, chunk, left + column * (table_w + GUTTER), y)
    # How to vote, at the foot of the page.
    canvas.setFont(REGULAR, fmt.note_pt)
    leading = fmt.note_pt * LEADING
    for i, line in enumerate(layout.note_lines):
        canvas.drawString(left, fmt.margin + (len(layout.note_lines) - 1 - i) * leading, line)


def render_ballots(spec: BallotSpec, copies: int = 1, *, two_up: bool = False) -> bytes:
    """`copies` identical ballots as one PDF, one per page; with `two_up`, two A5 ballots side by
    side on each A4 landscape sheet (a light line where to cut)."""
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        raise BallotError("Số phiếu cần in phải là số nguyên dương.")
    layout = choose_layout(spec)
    if two_up and layout.fmt is not _A5:
        raise BallotError("Chỉ ghép hai phiếu trên một tờ A4 khi phiếu in vừa khổ A5.")
    sheet = landscape(A4) if two_up else layout.fmt.size
    buffer = io.BytesIO()
    # invariant: no creation date or random document id, so the same spec gives the same bytes.
    # initialFontName: no unused Helvetica (a font that is not embedded) in the page resources.
    canvas = Canvas(buffer, pagesize=sheet, pageCompression=1, invariant=1, initialFontName=REGULAR)
    canvas.setTitle(TITLE.capitalize())
    canvas.setCreator("daihoi")
    page_w, page_h = layout.fmt.size
    canvas.beginForm("ballot", 0, 0, page_w, page_h)
    _draw_ballot(canvas, spec, layout)
    canvas.endForm()
    if not two_up:
        for _ in range(copies):
            canvas.doForm("ballot")
            canvas.showPage()
    else:
        for start in range(0, copies, 2):
            for slot in range(min(2, copies - start)):
                canvas.saveState()
                canvas.translate(slot * page_w, 0)
                canvas.doForm("ballot")
                canvas.restoreState()
            canvas.setStrokeColor(Color(0.8, 0.8, 0.82))
            canvas.setLineWidth(0.3)
            canvas.setDash(2, 3)
            canvas.line(page_w, 0, page_w, page_h)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()
