"""The one spreadsheet writer and the one Party-format DOCX builder, read back by their readers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from daihoi.core.office.docx_party import Heading, PartyDocument, Table, render
from daihoi.core.office.xlsx import (
    PERCENT_FORMAT,
    Sheet,
    csv_bytes,
    safe_sheet_title,
    sanitize_csv_cell,
    xlsx_bytes,
)

FORMULAS = ["=1+1", "+84912345678", "-x", "@SUM(A1:A2)", "\tcmd", "\r=2"]


def letter(**changes) -> PartyDocument:
    fields = dict(
        upper_body="Đảng bộ thành phố Hà Nội",
        issuing_body="Thành ủy",
        symbol="59-CV/TU",
        place="Hà Nội",
        date=dt.date(2018, 2, 3),
        kind_title="",
        summary="về việc chuẩn bị Đại hội",
        blocks=["Đoạn thứ nhất của công văn.", Heading("I. TÌNH HÌNH"), "Đoạn thứ hai."],
        signer_capacity="T/M Ban Thường vụ",
        signer_title="Phó Bí thư",
        signer_name="Nguyễn Văn Thử",
        recipients=["Như trên,", "Lưu VP."],
        addressees=["Ban Tuyên giáo Thành ủy"],
    )
    fields.update(changes)
    return PartyDocument(**fields)


def reopen(content: bytes):
    return open_docx(io.BytesIO(content))


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def runs_with(document, text: str):
    return [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.text == text
    ] + [run for p in document.paragraphs for run in p.runs if run.text == text]


def test_letter_header_date_line_and_symbol():
    document = reopen(render(letter()))
    left, right = document.tables[0].rows[0].cells
    assert cell_lines(left) == [
        "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
        "THÀNH ỦY",
        "*",
        "Số 59-CV/TU",
        "V/v về việc chuẩn bị Đại hội",
    ]
    assert cell_lines(right)[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert cell_lines(right)[-1] == "Hà Nội, ngày 03 tháng 02 năm 2018"
    (party,) = runs_with(document, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert party.bold and party.underline
    (date_line,) = runs_with(document, "Hà Nội, ngày 03 tháng 02 năm 2018")
    assert date_line.italic
    (issuer,) = runs_with(document, "THÀNH ỦY")
    assert issuer.bold
    (summary,) = runs_with(document, "V/v về việc chuẩn bị Đại hội")
    assert summary.italic and summary.font.size == Pt(12)
    texts = [p.text for p in document.paragraphs]
    assert "Kính gửi: Ban Tuyên giáo Thành ủy" in texts
    assert "BÁO CÁO" not in texts  # a letter has no type title


def test_header_table_is_borderless():
    document = reopen(render(letter()))
    borders = document.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_page_is_a4_with_party_margins_and_times_new_roman():
    document = reopen(render(letter()))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [
        run
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
    ]
    assert runs and {run.font.name for run in runs} == {"Times New Roman"}


def test_body_is_justified_14pt_with_first_line_indent():
    document = reopen(render(letter()))
    (body,) = [p for p in document.paragraphs if p.text == "Đoạn thứ nhất của công văn."]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)
    assert body.runs[0].font.size == Pt(14)
    (heading,) = [p for p in document.paragraphs if p.text == "I. TÌNH HÌNH"]
    assert heading.runs[0].bold


def test_signature_block_and_recipients():
    document = reopen(render(letter()))
    left, right = document.tables[-1].rows[0].cells
    assert cell_lines(left) == ["Nơi nhận:", "- Như trên,", "- Lưu VP."]
    heading = left.paragraphs[0].runs[0]
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    lines = [line for line in cell_lines(right) if line]
    assert lines == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn Thử"]


def test_report_has_type_title_summary_and_tables():
    content = render(
        letter(
            symbol="12-BC/TBTCPV",
            kind_title="Báo cáo",
            summary="Tình hình thực hiện nhiệm vụ",
            blocks=["Mở đầu.", Table([["STT", "Đơn vị", "Số"], ["1", "Quận ủy Ba Đình", "7"]])],
            addressees=[],
        )
    )
    document = reopen(content)
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and "Tình hình thực hiện nhiệm vụ" in texts
    left = document.tables[0].rows[0].cells[0]
    assert cell_lines(left)[-1] == "Số 12-BC/TBTCPV"  # trích yếu is not under the number
    grid = document.tables[1]
    assert [c.text for c in grid.rows[1].cells] == ["1", "Quận ủy Ba Đình", "7"]
    assert grid.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_unpadded_months_from_march():
    document = reopen(render(letter(date=dt.date(2020, 6, 22))))
    right = document.tables[0].rows[0].cells[1]
    assert cell_lines(right)[-1] == "Hà Nội, ngày 22 tháng 6 năm 2020"


# --- spreadsheets ---


def read_sheet(content: bytes, index: int = 0):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[index]


def test_xlsx_formula_like_strings_are_plain_text():
    content = xlsx_bytes([Sheet("Thử", ["Giá trị"], [[text] for text in FORMULAS])])
    ws = read_sheet(content)
    cells = [ws.cell(row=r, column=1) for r in range(2, 2 + len(FORMULAS))]
    assert [c.value for c in cells] == FORMULAS
    assert all(c.data_type == "s" for c in cells)  # "f" would be a formula
    assert all(c.quotePrefix for c in cells)
    formulas = openpyxl.load_workbook(io.BytesIO(content), data_only=False).worksheets[0]
    assert not any(str(c.value).startswith("=") and c.data_type == "f" for c in formulas["A"])


def test_xlsx_header_dates_numbers_widths_and_freeze():
    rows = [
        ["Nguyễn Văn A", dt.date(2020, 7, 31), -3, 0.2567],
        ["Một tên rất dài " * 3, None, 12, 1.0],
    ]
    content = xlsx_bytes(
        [Sheet("Tổng hợp", ["Họ tên", "Hạn", "Số", "Tỷ lệ"], rows, formats={3: PERCENT_FORMAT})]
    )
    ws = read_sheet(content)
    assert ws.freeze_panes == "A2"
    assert all(ws.cell(row=1, column=c).font.b for c in range(1, 5))
    assert ws["B2"].value == dt.datetime(2020, 7, 31) and ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["C2"].value == -3 and ws["C2"].data_type == "n"
    assert ws["D2"].number_format == PERCENT_FORMAT and ws["D2"].value == pytest.approx(0.2567)
    assert ws.column_dimensions["A"].width > ws.column_dimensions["C"].width >= 6
    assert ws.column_dimensions["A"].width <= 60


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    first = safe_sheet_title(
        "Ban Tuyên giáo/Thành ủy: [Hà Nội]*? — tên rất dài cho một trang", taken
    )
    assert len(first) <= 31 and not set(first) & set("[]:*?/\\")
    assert safe_sheet_title("Tổng hợp", taken) == "Tổng hợp"
    assert safe_sheet_title("TỔNG HỢP", taken) == "TỔNG HỢP (2)"
    again = safe_sheet_title(
        "Ban Tuyên giáo/Thành ủy: [Hà Nội]*? — tên rất dài cho một trang", taken
    )
    assert again != first and len(again) <= 31


def test_csv_has_bom_and_neutralised_cells():
    content = csv_bytes(
        ["Tên", "Điện thoại", "Số"], [[text, "+84912345678", -5] for text in FORMULAS]
    )
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Tên", "Điện thoại", "Số"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in FORMULAS]
    assert {row[1] for row in rows[1:]} == {"'+84912345678"}
    assert {row[2] for row in rows[1:]} == {"-5"}  # numbers are data, not formulas


def test_sanitize_csv_cell_keeps_ordinary_text_and_formats_dates():
    assert sanitize_csv_cell("Hoàn thành đúng hạn") == "Hoàn thành đúng hạn"
    assert sanitize_csv_cell(dt.date(2020, 2, 3)) == "03/02/2020"
    assert sanitize_csv_cell(None) == ""
    assert sanitize_csv_cell("a=1") == "a=1"
