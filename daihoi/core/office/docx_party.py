"""The one builder of Party-format Word documents (Hướng dẫn 36-HD/VPTW, 2018).

Layout: A4; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm; Times New Roman.
A borderless two-column header: on the left the upper body, the issuing body (bold), "*" and
the number-symbol; on the right "ĐẢNG CỘNG SẢN VIỆT NAM" (bold, underlined) and the date line
(italic). Then the document type and the trích yếu; a letter (Công văn) has no type title and
carries its trích yếu ("V/v ...") under the number instead. Body paragraphs justified, 14 pt,
first-line indent. Finally "Nơi nhận:" on the left and the signature block on the right.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell

from daihoi.vietnamese import format_date_line, nfc

__all__ = ["FONT", "Block", "Heading", "PartyDocument", "Table", "render"]

# The fixed words of the layout ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số", "Kính gửi:", "Nơi nhận:") are
# prescribed by 36-HD/VPTW and stay Vietnamese whatever the reader's language: not translated.
FONT = "Times New Roman"
BODY_PT = 14
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH_MM = 210 - 30 - 15
HEADER_COLS_MM = (75, TEXT_WIDTH_MM - 75)
_NUMERIC = re.compile(r"[\d.,%\s-]+")


@dataclass(frozen=True)
class Heading:
    """A bold heading inside the body, e.g. "I. TÌNH HÌNH CHUNG"."""

    text: str


@dataclass(frozen=True)
class Table:
    """A grid table inside the body; the first `header_rows` rows are bold."""

    rows: Sequence[Sequence[object]]
    header_rows: int = 1
    widths_mm: Sequence[float] | None = None
    font_pt: float = 11


Block = str | Heading | Table


@dataclass
class PartyDocument:
    upper_body: str  # "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"
    issuing_body: str  # "THÀNH ỦY", "TIỂU BAN TỔ CHỨC PHỤC VỤ ĐẠI HỘI"
    symbol: str  # "59-CV/TU"; a draft may leave the number blank: "    -BC/TBTCPV"
    place: str
    date: dt.date | None  # None: a draft whose date is written when it is signed
    kind_title: str  # "BÁO CÁO"; empty for a letter (CV)
    summary: str  # trích yếu
    blocks: Sequence[Block] = field(default_factory=list)
    signer_capacity: str = ""  # "T/M BAN THƯỜNG VỤ"
    signer_title: str = ""  # "PHÓ BÍ THƯ"
    signer_name: str = ""
    recipients: Sequence[str] = field(default_factory=list)
    addressees: Sequence[str] = field(default_factory=list)  # "Kính gửi:" of a letter

    @property
    def is_letter(self) -> bool:
        return not self.kind_title.strip() or "-CV/" in self.symbol.upper()


def render(doc: PartyDocument) -> bytes:
    """The document as .docx bytes."""
    document = new_docx()
    _page_and_font(document)
    _header(document, doc)
    if not doc.is_letter:
        _paragraph(document, doc.kind_title.upper(), size=15, bold=True, center=True, before=12)
        _paragraph(document, doc.summary, size=BODY_PT, bold=True, center=True)
        _paragraph(document, "-----", size=BODY_PT, center=True, after=6)
    else:
        _paragraph(document, "", size=BODY_PT, after=6)
    _addressees(document, doc.addressees)
    for block in doc.blocks:
        if isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Heading):
            _body(document, block.text, bold=True)
        else:
            _body(document, str(block))
    _signature(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- building blocks ---


def _page_and_font(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    _all_scripts(style.element.get_or_add_rPr())
    style.paragraph_format.space_after = Pt(0)


def _all_scripts(rpr) -> None:
    # Word picks the font per script; Vietnamese letters must not fall back to another font.
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _run(paragraph, text: str, *, size: float, bold=False, italic=False, underline=False):
    run = paragraph.add_run(nfc(text))
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold, run.font.italic, run.font.underline = bold, italic, underline
    _all_scripts(run._element.get_or_add_rPr())
    return run


def _paragraph(container, text: str, *, size: float, center=False, before=0, after=0, **style):
    paragraph = container.add_paragraph()
    _format(paragraph, center=center, before=before, after=after)
    if text:
        _run(paragraph, text, size=size, **style)
    return paragraph


def _format(paragraph, *, center=False, before=0, after=0) -> None:
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)


def _body(document, text: str, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Cm(1.27)
    fmt.space_before, fmt.space_after = Pt(6), Pt(0)
    fmt.line_spacing = 1.15
    _run(paragraph, text, size=BODY_PT, bold=bold)


def _cell_lines(cell: _Cell, lines: Sequence[tuple[str, dict]], center: bool = True) -> None:
    """Fill a cell: its first (empty) paragraph takes the first line."""
    for index, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        _format(paragraph, center=center)
        style = dict(style)
        _run(paragraph, text, size=style.pop("size", BODY_PT), **style)


def _borderless(table: DocxTable, widths_mm: Sequence[float]) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    # The schema fixes the order of tblPr's children; Word refuses a file that breaks it.
    props.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )
    _fixed_widths(table, widths_mm)


def _fixed_widths(table: DocxTable, widths_mm: Sequence[float]) -> None:
    table.autofit = False  # w:tblLayout type="fixed": Word keeps the widths below
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)


def _header(document, doc: PartyDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table, HEADER_COLS_MM)
    left, right = table.rows[0].cells
    lines: list[tuple[str, dict]] = [
        (doc.upper_body.upper(), {}),
        (doc.issuing_body.upper(), {"bold": True}),
        ("*", {}),
        (f"Số {doc.symbol}", {}),
    ]
    if doc.is_letter and doc.summary:
        lines.append((_letter_summary(doc.summary), {"size": 12, "italic": True}))
    _cell_lines(left, lines)
    if doc.date is not None:
        date_line = format_date_line(doc.date, doc.place)
    else:
        date_line = f"{doc.place}, ngày      tháng      năm      "
    _cell_lines(
        right,
        [
            ("ĐẢNG CỘNG SẢN VIỆT NAM", {"size": 15, "bold": True, "underline": True}),
            ("", {}),
            (date_line, {"italic": True}),
        ],
    )


def _addressees(document, names: Sequence[str]) -> None:
    if not names:
        return
    if len(names) == 1:
        _paragraph(document, f"Kính gửi: {names[0]}", size=BODY_PT, center=True, after=6)
        return
    _paragraph(document, "Kính gửi:", size=BODY_PT, center=True)
    for name in names:
        _paragraph(document, f"- {name},", size=BODY_PT, center=True)


def _letter_summary(summary: str) -> str:
    text = summary.strip()
    return text if text.lower().startswith("v/v") else f"V/v {text}"


def _table(document, block: Table) -> None:
    columns = max((len(row) for row in block.rows), default=0)
    if not columns:
        return
    table = document.add_table(rows=len(block.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if block.widths_mm:
        _fixed_widths(table, block.widths_mm)
    for r, row in enumerate(block.rows):
        header = r < block.header_rows
        for c, value in enumerate(row):
            text = "" if value is None else str(value)
            paragraph = table.cell(r, c).paragraphs[0]
            centred = header or bool(_NUMERIC.fullmatch(text))
            _format(paragraph, center=centred, before=2, after=2)
            _run(paragraph, text, size=block.font_pt, bold=header)
    _paragraph(document, "", size=BODY_PT, after=0)


def _signature(document, doc: PartyDocument) -> None:
    _paragraph(document, "", size=BODY_PT)
    table = document.add_table(rows=1, cols=2)
    _borderless(table, (TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2))
    left, right = table.rows[0].cells
    recipients: list[tuple[str, dict]] = [("Nơi nhận:", {"size": 12, "bold": True, "italic": True})]
    recipients += [(f"- {line.lstrip('- ').strip()}", {"size": 11}) for line in doc.recipients]
    _cell_lines(left, recipients, center=False)
    signature: list[tuple[str, dict]] = []
    if doc.signer_capacity:
        signature.append((doc.signer_capacity.upper(), {"bold": True}))
    if doc.signer_title:
        signature.append((doc.signer_title.upper(), {"bold": True}))
    signature += [("", {})] * 4  # room for the signature and the seal
    signature.append((doc.signer_name, {"bold": True}))
    _cell_lines(right, signature)
