"""Biên bản kiểm phiếu (domain.md §6): every figure of the counting minutes of one round, and
the minutes as a Party-format Word file and as a PDF with the same content.

The figures come from the stored result of the round (what was counted and sealed), never from a
recount, with three exceptions read from the congress when the minutes are built:

- delegates summoned: `compute_base(congress).summoned`, the same count as the base and the
  credentials report (active officials, plus one seat per withdrawn official a reserve replaces);
- present at the vote: the delegates who hold a seat (active officials and active reserves
  replacing someone) with an attendance row in the congress's latest session that had started
  when the round was sealed (for a draft: now). Elections are held in a session, and a delegate
  checked in to it is taken as present at the vote; the session is named in the minutes;
- absent: summoned minus present.

The base is the round's own (fixed when the first round opened, the same in every round).
The document's fixed words are those of a Party biên bản and are not translated.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable

from daihoi.audit.models import AuditEntry
from daihoi.core.office.docx_party import Block, Heading, PartyDocument, Table, render
from daihoi.core.office.fonts import BOLD, REGULAR, register_fonts
from daihoi.core.services.errors import InvalidInput
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import OFFICIAL_CATEGORIES, Attendance, Category, Session, Status
from daihoi.delegates.services.credentials_docx import DEFAULT_PLACE, ISSUER_CODE
from daihoi.elections.models import CountingBoardMember, ElectionRound, RoundStatus
from daihoi.elections.rules import REASON_LABELS, InvalidReason
from daihoi.vietnamese import format_date_line, format_number, nfc

ISSUING_BODY = "BAN KIỂM PHIẾU"
KIND_TITLE = "BIÊN BẢN"
DRAFT_MARK = "DỰ THẢO — chưa niêm phong"
TABLE_HEAD = ("STT", "Họ và tên", "Số phiếu bầu", "Tỷ lệ so với cơ số")
PASSED, FAILED, UNCHECKED = "đạt", "không đạt", "không kiểm tra được"


@dataclass(frozen=True)
class BoardMember:
    name: str
    is_head: bool


@dataclass(frozen=True)
class CandidateVotes:
    position: int  # 1-based place on the ballot
    name: str
    votes: int
    percent: str  # of the base, two decimals, decimal comma: "66,67%"
    elected: bool


@dataclass(frozen=True)
class InvalidCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    ok: bool | None  # None: cannot be checked (ballots issued not recorded)

    @property
    def verdict(self) -> str:
        return UNCHECKED if self.ok is None else PASSED if self.ok else FAILED


@dataclass(frozen=True)
class Minutes:
    congress_title: str
    party_organisation: str
    term: str
    venue: str
    election_title: str
    body_label: str
    subject: str  # "bầu Ban Chấp hành Đảng bộ thành phố khóa XVII"
    seats_voted: int
    seats_decision: str
    round_number: int
    round_seats: int
    round_decision: str
    candidates: tuple[str, ...]  # ballot order
    board: tuple[BoardMember, ...]  # head first
    summoned: int
    present: int | None  # None: no session has attendance to count
    absent: int | None
    attendance_session: str
    base: int
    threshold: int  # the fewest votes that are more than half of the base
    issued: int | None
    collected: int
    valid: int
    invalid_total: int
    invalid: tuple[InvalidCount, ...]
    votes: tuple[CandidateVotes, ...]  # ballot order
    elected: tuple[CandidateVotes, ...]  # descending votes
    notes: tuple[str, ...]  # tie, unfilled seats
    next_round: str  # the proposal, or ""
    counted_at: dt.datetime | None
    seal: str
    sealed_at: dt.datetime | None
    checks: tuple[Check, ...]

    @property
    def is_draft(self) -> bool:
        return not self.seal

    @property
    def summary(self) -> str:
        suffix = f" (bầu lần thứ {self.round_number})" if self.round_number > 1 else ""
        return f"Kiểm phiếu {self.subject}{suffix}"

    @property
    def head(self) -> str:
        return next((m.name for m in self.board if m.is_head), "")


def minutes_data(round_: ElectionRound) -> Minutes:
    """Every field of the minutes; refuses a round not yet counted."""
    round_ = ElectionRound.objects.select_related("election__congress").get(pk=round_.pk)
    if round_.status == RoundStatus.ENTRY or not round_.result:
        raise InvalidInput(
            _("Lần bầu này chưa kiểm phiếu, chưa lập được biên bản kiểm phiếu."),
            code="not_counted",
        )
    election, result = round_.election, round_.result
    congress = election.congress
    with translation.override("vi"):
        body_label = str(election.get_body_display())
    sealed = round_.status == RoundStatus.SEALED
    summoned = compute_base(congress).summoned
    session, present = _present(congress, round_.sealed_at if sealed else timezone.now())
    votes = tuple(
        CandidateVotes(i, c["name"], c["votes"], c["percent"], c["elected"])
        for i, c in enumerate(result["candidates"], start=1)
    )
    by_name = {v.name: v for v in votes}
    # In the order of the enum: a PostgreSQL jsonb column does not keep the keys' order.
    invalid = tuple(
        InvalidCount(reason.value, REASON_LABELS[reason], result["invalid"][reason.value])
        for reason in InvalidReason
        if reason.value in result["invalid"]
    )
    invalid_total = sum(item.count for item in invalid)
    return Minutes(
        congress_title=congress.title, party_organisation=congress.party_organisation,
        term=congress.term, venue=congress.venue, election_title=election.title,
        body_label=body_label, subject=_subject(election.title), seats_voted=election.seats,
        seats_decision=election.seats_decision, round_number=round_.number,
        round_seats=round_.seats, round_decision=round_.decision,
        candidates=tuple(v.name for v in votes), board=_board(congress),
        summoned=summoned, present=present,
        absent=None if present is None else max(summoned - present, 0),
        attendance_session=session, base=round_.base, threshold=round_.base // 2 + 1,
        issued=result["issued"], collected=result["collected"], valid=result["valid"],
        invalid_total=invalid_total, invalid=invalid, votes=votes,
        elected=tuple(by_name[name] for name in result["elected"]),
        notes=_notes(result, by_name), next_round=_proposal(result),
        counted_at=_counted_at(round_), seal=round_.seal if sealed else "",
        sealed_at=round_.sealed_at if sealed else None,
        checks=_checks(result, invalid_total),
    )  # fmt: skip


def _subject(title: str) -> str:
    text = nfc(title).strip()
    if text[:4].casefold() == "bầu ":
        text = text[4:]
    return f"bầu {text}"


def _board(congress) -> tuple[BoardMember, ...]:
    members = (
        CountingBoardMember.objects.filter(congress=congress)
        .select_related("delegate")
        .order_by("-is_head", "delegate__number")
    )
    return tuple(BoardMember(m.delegate.full_name, m.is_head) for m in members)


def _present(congress, when: dt.datetime) -> tuple[str, int | None]:
    session = (
        Session.objects.filter(congress=congress, starts_at__lte=when)
        .order_by("-starts_at", "-pk")
        .first()
    )
    if session is None:
        return "", None
    seated = Q(delegate__category__in=OFFICIAL_CATEGORIES) | Q(
        delegate__category=Category.RESERVE, delegate__replaces__isnull=False
    )
    count = (
        Attendance.objects.filter(session=session, delegate__status=Status.ACTIVE)
        .filter(seated)
        .count()
    )
    return session.name, count


def _counted_at(round_: ElectionRound) -> dt.datetime | None:
    return (
        AuditEntry.objects.filter(
            action="election.round_counted",
            target_type=ElectionRound._meta.label_lower,
            target_id=str(round_.pk),
        )
        .order_by("-seq")
        .values_list("created_at", flat=True)
        .first()
    )


def _names(names) -> str:
    return ", ".join(names)


def _notes(result: dict, by_name: dict[str, CandidateVotes]) -> tuple[str, ...]:
    notes = []
    if result["tied"]:
        votes = format_number(by_name[result["tied"][0]].votes)
        notes.append(
            f"Các đồng chí {_names(result['tied'])} có số phiếu bầu bằng nhau ({votes} phiếu) "
            "ở vị trí trúng cử cuối cùng, đều trên một nửa so với cơ số; chưa đồng chí nào "
            "trong số này trúng cử."
        )
    if result["unfilled"]:
        notes.append(
            f"Còn {format_number(result['unfilled'])} đồng chí chưa bầu đủ: không còn đồng chí "
            "nào có số phiếu bầu trên một nửa so với cơ số."
        )
    return tuple(notes)


def _proposal(result: dict) -> str:
    nxt = result["next_round"]
    if not nxt:
        return ""
    number, seats = result["round"] + 1, format_number(nxt["seats"])
    if not nxt["congress_decides"]:
        return (
            f"Đề nghị bầu lần thứ {number} để bầu {seats} đồng chí trong số các đồng chí có số "
            f"phiếu bằng nhau: {_names(nxt['candidates'])}."
        )
    return (
        f"Đề nghị Đại hội xem xét, quyết định việc bầu lần thứ {number} để bầu {seats} đồng chí "
        f"còn thiếu và danh sách bầu (các đồng chí chưa trúng cử: {_names(nxt['candidates'])})."
    )


def _checks(result: dict, invalid_total: int) -> tuple[Check, ...]:
    issued, collected, valid = result["issued"], result["collected"], result["valid"]
    return (
        Check(
            "collected_le_issued",
            "Số phiếu thu vào không lớn hơn số phiếu phát ra",
            None if issued is None else collected <= issued,
        ),
        Check(
            "valid_plus_invalid_eq_collected",
            "Số phiếu hợp lệ cộng số phiếu không hợp lệ bằng số phiếu thu vào",
            valid + invalid_total == collected,
        ),
        Check(
            "votes_le_valid",
            "Số phiếu bầu của mỗi đồng chí không lớn hơn số phiếu hợp lệ",
            all(c["votes"] <= valid for c in result["candidates"]),
        ),
    )


# --- the document: one list of blocks for both the Word file and the PDF ---


def _n(value: int) -> str:
    return format_number(value)


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "Hồi …… giờ …… phút, ngày …… tháng …… năm ……"
    local = timezone.localtime(moment)
    return f"Hồi {local.hour:02d} giờ {local.minute:02d} phút, {format_date_line(local.date())}"


def _vote_rows(rows: tuple[CandidateVotes, ...]) -> Table:
    body = [(str(i), v.name, _n(v.votes), v.percent) for i, v in enumerate(rows, start=1)]
    return Table([TABLE_HEAD, *body], widths_mm=(14, 81, 32, 38), font_pt=12)


def minutes_blocks(m: Minutes) -> list[Block]:
    """The body of the biên bản, in the order it is read out to the congress."""
    board = "; ".join(f"{b.name}{' (Trưởng ban)' if b.is_head else ''}" for b in m.board)
    where = f", tại {m.venue}" if m.venue else ""
    blocks: list[Block] = [Heading(DRAFT_MARK)] if m.is_draft else []
    blocks += [
        f"{_when(m.counted_at)}{where}, Ban Kiểm phiếu {m.congress_title} gồm các đồng chí: "
        f"{board or '……'}, đã tiến hành kiểm phiếu {m.subject}, bầu lần thứ {m.round_number}.",
        Heading("I. SỐ LƯỢNG VÀ DANH SÁCH BẦU CỬ"),
        f"Bầu {m.body_label}. Số lượng bầu Đại hội đã biểu quyết: {_n(m.seats_voted)} đồng chí"
        + (f" ({m.seats_decision})." if m.seats_decision else "."),
        f"Số lượng bầu ở lần bầu này: {_n(m.round_seats)} đồng chí."
        + (f" Quyết định của Đại hội: {m.round_decision}" if m.round_decision else ""),
        f"Danh sách bầu cử gồm {_n(len(m.candidates))} đồng chí, theo thứ tự trên phiếu bầu:",
        Table([("STT", "Họ và tên"), *((str(i), n) for i, n in enumerate(m.candidates, 1))],
              widths_mm=(14, 151), font_pt=12),
        Heading("II. ĐẠI BIỂU VÀ CƠ SỐ TÍNH KẾT QUẢ"),
        f"Tổng số đại biểu được triệu tập: {_n(m.summoned)} đồng chí.",
    ]  # fmt: skip
    if m.present is None:
        blocks.append("Số đại biểu có mặt khi bỏ phiếu: chưa có số liệu điểm danh.")
    else:
        blocks += [
            f"Số đại biểu có mặt khi bỏ phiếu: {_n(m.present)} đồng chí "
            f"(điểm danh {m.attendance_session}).",
            f"Số đại biểu vắng mặt: {_n(m.absent or 0)} đồng chí.",
        ]
    blocks += [
        f"Cơ số tính kết quả bầu cử (tổng số đại biểu được triệu tập, trừ số đại biểu vắng mặt "
        f"cả đại hội theo quy định): {_n(m.base)} đồng chí; trúng cử khi được số phiếu bầu quá "
        f"một nửa so với cơ số, tức từ {_n(m.threshold)} phiếu trở lên.",
        Heading("III. KẾT QUẢ KIỂM PHIẾU"),
        "Số phiếu phát ra: " + (f"{_n(m.issued)} phiếu." if m.issued is not None else "chưa ghi."),
        f"Số phiếu thu vào: {_n(m.collected)} phiếu.",
        f"Số phiếu hợp lệ: {_n(m.valid)} phiếu.",
        f"Số phiếu không hợp lệ: {_n(m.invalid_total)} phiếu"
        + (", trong đó:" if m.invalid else "."),
        *(
            f"- {item.label}: {_n(item.count)} phiếu{'.' if i == len(m.invalid) else ';'}"
            for i, item in enumerate(m.invalid, start=1)
        ),
        "Số phiếu bầu cho từng đồng chí (theo thứ tự trên phiếu bầu):",
        _vote_rows(m.votes),
        Heading("IV. KẾT QUẢ BẦU CỬ"),
    ]
    if m.elected:
        blocks += [
            f"Các đồng chí trúng cử ({_n(len(m.elected))} đồng chí, theo số phiếu bầu từ cao "
            "xuống thấp):",
            _vote_rows(m.elected),
        ]
    else:
        blocks.append("Không có đồng chí nào trúng cử ở lần bầu này.")
    blocks += [*m.notes, *([m.next_round] if m.next_round else [])]
    blocks.append(Heading("V. KIỂM TRA SỐ LIỆU"))
    blocks += [f"- {c.label}: {c.verdict}." for c in m.checks]
    blocks.append(
        f"Biên bản được thông qua và niêm phong {_when(m.sealed_at).lower()}."
        if m.sealed_at
        else "Biên bản chưa được niêm phong và thông qua."
    )
    blocks.append(f"Mã niêm phong (SHA-256): {m.seal or DRAFT_MARK}")
    return blocks


def _document(m: Minutes) -> PartyDocument:
    return PartyDocument(
        upper_body=m.party_organisation.upper(),
        issuing_body=ISSUING_BODY,
        symbol=f"{chr(0xA0) * 6}-BB/{ISSUER_CODE}",
        place=DEFAULT_PLACE,
        date=timezone.localtime(m.sealed_at).date() if m.sealed_at else None,
        kind_title=KIND_TITLE,
        summary=m.summary,
        blocks=minutes_blocks(m),
        signer_capacity="T/M BAN KIỂM PHIẾU",
        signer_title="TRƯỞNG BAN",
        signer_name=m.head,
        recipients=["Đoàn Chủ tịch Đại hội,", "Lưu hồ sơ Đại hội."],
    )


def minutes_docx(round_: ElectionRound) -> bytes:
    return render(_document(minutes_data(round_)))


def minutes_pdf(round_: ElectionRound) -> bytes:
    return _render_pdf(_document(minutes_data(round_)))


def _render_pdf(doc: PartyDocument) -> bytes:
    """The same PartyDocument drawn with reportlab and the embedded Vietnamese font."""
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=15,
                          alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceBefore=4)  # fmt: skip
    center = ParagraphStyle("center", body, alignment=TA_CENTER, firstLineIndent=0)
    bold = ParagraphStyle("bold", body, fontName=BOLD)
    bold_center = ParagraphStyle("bold_center", center, fontName=BOLD)
    cell = ParagraphStyle("cell", center, fontSize=10, leading=12, spaceBefore=0)

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(escape(nfc(text)), style)

    date_line = (
        format_date_line(doc.date, doc.place)
        if doc.date
        else f"{doc.place}, ngày …… tháng …… năm ……"
    )
    header = PdfTable(
        [
            [para(doc.upper_body, center), para("ĐẢNG CỘNG SẢN VIỆT NAM", bold_center)],
            [para(doc.issuing_body, bold_center), ""],
            [para("*", center), para(date_line, center)],
            [para(f"Số {doc.symbol}", center), ""],
        ],
        colWidths=(75 * mm, 90 * mm),
    )
    story = [header, Spacer(1, 6 * mm), para(doc.kind_title, bold_center),
             para(doc.summary, bold_center), Spacer(1, 4 * mm)]  # fmt: skip
    for block in doc.blocks:
        if isinstance(block, Table):
            rows = [[para(str(v), cell) for v in row] for row in block.rows]
            widths = [w * mm for w in block.widths_mm] if block.widths_mm else None
            grid = PdfTable(rows, colWidths=widths, repeatRows=block.header_rows)
            grid.setStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])  # fmt: skip
            story += [Spacer(1, 2 * mm), grid, Spacer(1, 2 * mm)]
        elif isinstance(block, Heading):
            story.append(para(block.text, bold))
        else:
            story.append(para(str(block)))
    signature = [doc.signer_capacity, doc.signer_title, "", "", "", doc.signer_name]
    story += [
        Spacer(1, 8 * mm),
        PdfTable(
            [["", para(line, bold_center)] for line in signature], colWidths=(82 * mm, 83 * mm)
        ),
    ]
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=doc.summary, invariant=1,
    )  # fmt: skip
    pdf.build(story)
    return buffer.getvalue()
