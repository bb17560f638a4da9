"""The synthesis report: the Party-format Word file with the figures per section and the groups,
and the Excel workbook with a summary sheet and one row per comment."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from daihoi.consultation.models import Comment, CommentStatus, TopicGroup
from daihoi.consultation.services import reports
from tests.consultation.factories import make_comment, make_draft, sections_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(db):
    """Results written by hand, so every figure of the report is known in advance."""
    draft = make_draft("Dự thảo Báo cáo chính trị trình Đại hội XVII")
    first, second = sections_of(draft)
    day = timezone.make_aware(dt.datetime(2020, 8, 3, 10, 30))
    transport = TopicGroup.objects.create(
        draft=draft, section=first, terms=["giao thông", "xe buýt", "ùn tắc"],
        label="Giao thông công cộng", note="Đề nghị ưu tiên xe buýt và đường sắt đô thị.",
    )  # fmt: skip
    schools = TopicGroup.objects.create(draft=draft, section=first, terms=["trường học"])
    a = make_comment(first, "Cần mở thêm tuyến xe buýt nhanh.", created_at=day)
    b = make_comment(first, "Can mo them tuyen xe buyt nhanh", created_at=day, duplicate_of=a)
    c = make_comment(first, '=HYPERLINK("http://x")', created_at=day, in_campaign=True)
    make_comment(first, "Thiếu trường mầm non ở khu đô thị mới.", created_at=day)
    make_comment(first, "Nhất trí", created_at=day + dt.timedelta(days=2), is_agreement=True)
    make_comment(first, "Tục tĩu", status=CommentStatus.HIDDEN, hidden_reason="Lời lẽ")
    make_comment(second, "Đồng ý", status=CommentStatus.ACCEPTED, is_agreement=True)
    Comment.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(group=transport)
    Comment.objects.filter(content__startswith="Thiếu trường").update(group=schools)
    transport.representative = a
    transport.save()
    return draft, first, second, a, b, c


def test_overview_counts_leave_hidden_comments_out(results):
    draft, first, second, *_ = results
    figures = reports.overview(draft)
    assert [f.section for f in figures] == [first, second]
    one = figures[0]
    assert (one.total, one.agreement, one.duplicates, one.campaign, one.hidden) == (5, 1, 1, 1, 1)
    assert one.agreement_share == "20,00%"
    assert [(g.name, g.count) for g in one.groups] == [
        ("Nhóm 1: Giao thông công cộng", 3),
        ("Nhóm 2", 1),
    ]
    assert one.groups[0].quotes[0] == (results[3].reference, "Cần mở thêm tuyến xe buýt nhanh.")
    assert one.repeated == [
        reports.Repeated(results[3].reference, "Cần mở thêm tuyến xe buýt nhanh.", 2, False)
    ]
    assert (figures[1].total, figures[1].accepted, figures[1].agreement_share) == (1, 1, "100,00%")


def test_docx_is_a_party_report_with_the_figures(results):
    draft, first, *_rest = results
    document = Document(io.BytesIO(reports.synthesis_docx(draft)))
    text = "\n".join(p.text for p in document.paragraphs)
    header = "\n".join(cell.text for cell in document.tables[0].rows[0].cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "TIỂU BAN VĂN KIỆN" in header
    assert "BÁO CÁO" in text
    assert "Tổng hợp ý kiến nhân dân góp ý vào dự thảo Báo cáo chính trị" in text
    assert "Từ ngày 03/08/2020" in text
    assert "đã tiếp nhận 7 ý kiến" in text and "đã ẩn 1 ý kiến" in text
    assert "đưa vào tổng hợp 6 ý kiến, trong đó 2 ý kiến nhất trí chung (chiếm 33,33%)" in text
    assert f"1. Mục I. {first.title}" in text
    assert "Số ý kiến đưa vào tổng hợp: 5; ý kiến nhất trí chung: 1 (chiếm 20,00%)" in text
    assert "Nhóm 1: Giao thông công cộng (3 ý kiến)" in text
    assert "Từ khóa: giao thông, xe buýt, ùn tắc." in text
    assert "Ý kiến tổng hợp: Đề nghị ưu tiên xe buýt và đường sắt đô thị." in text
    assert "«Cần mở thêm tuyến xe buýt nhanh.»" in text
    assert (
        f"- «Cần mở thêm tuyến xe buýt nhanh.» (ý kiến số {results[3].reference}): 2 ý kiến."
        in text
    )
    assert "Tục tĩu" not in text  # a hidden comment is never quoted
    summary = document.tables[1]
    assert [c.text for c in summary.rows[1].cells][2:5] == ["5", "1", "20,00%"]


def test_excel_has_a_summary_and_one_row_per_comment(results):
    draft, first, second, a, b, c = results
    target = io.BytesIO()
    assert reports.write_synthesis_xlsx(draft, target) == 6
    workbook = load_workbook(io.BytesIO(target.getvalue()))
    summary, sheet = workbook.worksheets
    assert (summary.title, sheet.title) == ("Tổng hợp", "Ý kiến")
    assert [cell.value for cell in summary[2]] == [
        f"Mục I. {first.title}",
        5,
        0,
        5,
        1,
        pytest.approx(0.2),
        1,
        1,
        2,
        1,
    ]
    assert summary.cell(row=2, column=6).value == pytest.approx(0.2)
    assert [cell.value for cell in summary[4]][:2] == ["Cộng", 6]

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "Số tiếp nhận", "Ngày gửi", "Mục", "Đoạn", "Nhóm ý kiến", "Trùng với",
        "Đợt gửi hàng loạt", "Nhất trí chung", "Trạng thái",
    )  # fmt: skip
    assert len(rows) == 1 + 6
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference[b.reference][4:6] == ("Nhóm 1: Giao thông công cộng", a.reference)
    assert by_reference[c.reference][6] == "Có"
    assert by_reference[a.reference][8] == "Mới nhận"
    date_cell = sheet.cell(row=2, column=2)
    assert date_cell.value == dt.datetime(2020, 8, 3) and date_cell.number_format == "dd/mm/yyyy"
    formula = next(cell for cell in sheet["K"] if cell.value and cell.value.startswith("="))
    assert formula.data_type == "s" and formula.quotePrefix  # written as text, never run
    assert "Tục tĩu" not in {row[10] for row in rows}


def test_excel_streams_its_rows_in_chunks(results, monkeypatch):
    draft = results[0]
    monkeypatch.setattr(reports, "ROW_CHUNK", 2)  # many small keyset queries, same rows
    target = io.BytesIO()
    assert reports.write_synthesis_xlsx(draft, target) == 6
    rows = list(load_workbook(target, read_only=True).worksheets[1].iter_rows(values_only=True))
    assert len({row[0] for row in rows[1:]}) == 6


def test_empty_draft_gives_a_report_too(db):
    draft = make_draft()
    text = "\n".join(p.text for p in Document(io.BytesIO(reports.synthesis_docx(draft))).paragraphs)
    assert "Chưa có ý kiến góp ý." in text
    workbook = load_workbook(io.BytesIO(reports.synthesis_xlsx(draft)))
    assert workbook.worksheets[1].max_row == 1
