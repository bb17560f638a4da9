"""Drafts by section: DOCX → numbered sections and paragraphs (Word heading styles and Party
numbering in the text), versions, publishing, comments opened and closed, news articles."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from daihoi.audit.models import AuditEntry
from daihoi.consultation.demo import build_demo_docx, load_demo_consultation
from daihoi.consultation.models import Comment, DraftVersion, Paragraph, Section
from daihoi.consultation.services import drafts, intake
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from tests.factories import CongressFactory, UnitFactory, forget_cached, make_user_with_role


def docx_bytes(blocks) -> bytes:
    """blocks: (style or None or "bold" or "table", text or rows)."""
    document = Document()
    for style, value in blocks:
        if style == "table":
            table = document.add_table(rows=len(value), cols=len(value[0]))
            for row, values in zip(table.rows, value, strict=True):
                for cell, text in zip(row.cells, values, strict=True):
                    cell.text = text
        elif style == "bold":
            document.add_paragraph().add_run(value).bold = True
        elif style:
            document.add_paragraph(value, style=style)
        else:
            document.add_paragraph(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "du-thao.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def parse(blocks):
    return drafts.parse_docx(io.BytesIO(docx_bytes(blocks)))


PARTY_TEXT = [
    (None, "Lời mở đầu của dự thảo."),
    (None, "Phần thứ nhất: Kết quả nhiệm kỳ"),
    (None, "I. VỀ KINH TẾ"),
    (None, "1. Tăng trưởng"),
    (None, "Kinh tế tăng trưởng khá."),
    (None, "1.1. Công nghiệp"),
    (None, "Công nghiệp công nghệ cao phát triển."),
    (None, "a) Hạn chế:"),
    (None, "a) Tiến độ một số dự án còn chậm, kéo dài nhiều năm."),
    (None, "II. VỀ XÃ HỘI"),
    ("table", [["Chỉ tiêu", "Kết quả"], ["Trường chuẩn", "72,5%"]]),
    (None, "PHẦN THỨ HAI: PHƯƠNG HƯỚNG"),
    (None, "Nội dung phần hai."),
]


@pytest.fixture
def staff(db):
    return make_user_with_role(Role.ORGANISING_STAFF)


@pytest.fixture
def congress(db):
    return CongressFactory(convening_committee=UnitFactory(), is_current=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    forget_cached("gy:")  # rate limits and captchas
    intake.forget_sections()
    yield
    forget_cached("gy:")  # rate limits and captchas
    intake.forget_sections()


def make_open_draft(staff, congress, blocks=PARTY_TEXT):
    draft = drafts.create_draft(staff, congress, "Dự thảo Báo cáo chính trị")
    version = drafts.upload_version(staff, draft, upload(docx_bytes(blocks)))
    drafts.publish_version(staff, version)
    drafts.set_comments_open(staff, version, True)
    version.refresh_from_db()
    return draft, version


# --- parsing ------------------------------------------------------------------------------------


def test_party_numbering_in_the_text_gives_levels_numbers_and_paragraphs():
    sections = parse(PARTY_TEXT)
    outline = [(s.number, s.title, s.level) for s in sections]
    assert outline == [
        ("", "Mở đầu", 1),
        ("Phần thứ nhất", "Kết quả nhiệm kỳ", 1),
        ("I", "VỀ KINH TẾ", 2),
        ("1", "Tăng trưởng", 3),
        ("1.1", "Công nghiệp", 4),
        ("a", "Hạn chế:", 5),
        ("II", "VỀ XÃ HỘI", 2),
        ("Phần thứ hai", "PHƯƠNG HƯỚNG", 1),
    ]
    by_number = {s.number: s.paragraphs for s in sections}
    assert by_number[""] == ["Lời mở đầu của dự thảo."]
    # A lettered sentence ending with a full stop is text, not a heading.
    assert by_number["a"] == ["a) Tiến độ một số dự án còn chậm, kéo dài nhiều năm."]
    # The table is flattened, one paragraph per row.
    assert by_number["II"] == ["Chỉ tiêu | Kết quả", "Trường chuẩn | 72,5%"]


def test_word_heading_styles_without_numbers_are_numbered_by_position():
    sections = parse([
        ("Heading 1", "Đánh giá chung"), (None, "Đoạn một."), ("Heading 2", "Kinh tế"),
        (None, "Đoạn hai."), ("Heading 2", "Xã hội"), ("Heading 1", "Phương hướng"),
        ("Heading 2", "Mục tiêu"),
    ])  # fmt: skip
    assert [(s.number, s.title, s.level) for s in sections] == [
        ("1", "Đánh giá chung", 1), ("1.1", "Kinh tế", 2), ("1.2", "Xã hội", 2),
        ("2", "Phương hướng", 1), ("2.1", "Mục tiêu", 2),
    ]  # fmt: skip
    assert sections[0].paragraphs == ["Đoạn một."]


def test_styled_heading_keeps_the_number_written_in_it():
    sections = parse([("Heading 1", "II. Nhiệm vụ"), (None, "Nội dung.")])
    assert (sections[0].number, sections[0].title) == ("II", "Nhiệm vụ")


def test_text_is_stored_in_nfc_with_whitespace_collapsed():
    decomposed = "Đa\u0309ng   bộ\u00a0thành phố"  # "ả" written as a + combining hook
    sections = parse([("Heading 1", "Mục"), (None, decomposed)])
    assert sections[0].paragraphs == ["Đảng bộ thành phố"]


def test_the_demo_docx_parses():
    sections = drafts.parse_docx(io.BytesIO(build_demo_docx()))
    numbers = [s.number for s in sections]
    assert numbers[:5] == ["", "Phần thứ nhất", "I", "1", "1"] or "Phần thứ nhất" in numbers
    assert any("|" in p for s in sections for p in s.paragraphs)


def test_a_file_that_is_not_a_docx_is_refused(staff, congress):
    draft = drafts.create_draft(staff, congress, "Dự thảo")
    with pytest.raises(InvalidInput) as caught:
        drafts.upload_version(staff, draft, upload(b"%PDF-1.4 not a docx"))
    assert caught.value.code in {"not_docx", "bad_docx"}
    assert not DraftVersion.objects.exists()


def test_a_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (drafts.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(InvalidInput) as caught:
        drafts.parse_docx(buffer)
    assert caught.value.code == "docx_too_large"


def test_a_damaged_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"not xml at all")
    with pytest.raises(InvalidInput) as caught:
        drafts.parse_docx(buffer)
    assert caught.value.code == "bad_docx"


# --- versions -----------------------------------------------------------------------------------


def test_upload_stores_sections_and_paragraphs_and_audits(staff, congress):
    draft = drafts.create_draft(staff, congress, "Dự thảo Báo cáo chính trị")
    version = drafts.upload_version(staff, draft, upload(docx_bytes(PARTY_TEXT)))
    assert version.number == 1 and version.published_at is None
    sections = list(version.sections.order_by("position"))
    assert [s.number for s in sections][:3] == ["", "Phần thứ nhất", "I"]
    growth = next(s for s in sections if s.number == "1")
    assert list(growth.paragraphs.values_list("number", "text")) == [
        (1, "Kinh tế tăng trưởng khá.")
    ]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"draft.created", "draft.version_uploaded"} <= actions


def test_reupload_is_a_new_version_with_the_same_numbers(staff, congress):
    draft, first = make_open_draft(staff, congress)
    edited = [b if b[1] != "Kinh tế tăng trưởng khá." else (None, "Kinh tế tăng trưởng cao.")
              for b in PARTY_TEXT]  # fmt: skip
    second = drafts.upload_version(staff, draft, upload(docx_bytes(edited)))
    assert second.number == 2

    def outline(version):
        return list(version.sections.order_by("position").values_list("number", "title"))

    assert outline(first) == outline(second)
    text = Paragraph.objects.get(section__version=second, section__number="1", number=1).text
    assert text == "Kinh tế tăng trưởng cao."
    # The public still reads version 1 until version 2 is published.
    assert drafts.published_version(draft.pk) == first
    drafts.publish_version(staff, second)
    assert drafts.published_version(draft.pk) == second
    first.refresh_from_db()
    second.refresh_from_db()
    # Comments move to the new version: the old one closes, the new one opens.
    assert (first.comments_open, second.comments_open) == (False, True)


def test_publish_twice_and_open_before_publishing_are_refused(staff, congress):
    draft = drafts.create_draft(staff, congress, "Dự thảo")
    version = drafts.upload_version(staff, draft, upload(docx_bytes(PARTY_TEXT)))
    with pytest.raises(InvalidInput):
        drafts.set_comments_open(staff, version, True)
    drafts.publish_version(staff, version)
    with pytest.raises(InvalidInput):
        drafts.publish_version(staff, version)
    drafts.set_comments_open(staff, version, True)
    drafts.set_comments_open(staff, version, False)
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == [
        "draft.version_published", "draft.comments_opened", "draft.comments_closed"
    ]  # fmt: skip


def test_only_managers_may_change_drafts(congress, db):
    citizen_staff = make_user_with_role(Role.DELEGATE)
    with pytest.raises(NotAllowed):
        drafts.create_draft(citizen_staff, congress, "Dự thảo")
    with pytest.raises(NotAllowed):
        drafts.create_article(citizen_staff, "Tin", "", "Nội dung")


def test_articles_are_created_unpublished_then_published(staff):
    article = drafts.create_article(staff, "  Tin  mới ", "Tóm tắt", "Đoạn một.\r\n\r\nĐoạn hai.")
    assert article.title == "Tin mới" and article.published_at is None
    assert article.body == "Đoạn một.\n\nĐoạn hai."
    drafts.set_article_published(staff, article, True)
    article.refresh_from_db()
    assert article.published_at is not None
    with pytest.raises(InvalidInput):
        drafts.create_article(staff, "", "", "x")


def test_demo_is_idempotent(db):
    from tests.factories import UserFactory  # noqa: F401 - the demo needs its own accounts

    CongressFactory(convening_committee=UnitFactory(), is_current=True)
    make_user_with_role(Role.ORGANISING_STAFF)
    assert load_demo_consultation() == 4
    assert load_demo_consultation() == 0
    version = DraftVersion.objects.get()
    assert version.published_at is not None and version.comments_open
    assert Section.objects.filter(version=version).count() >= 8
    assert Comment.objects.filter(article__isnull=False).count() == 1
    assert Comment.objects.filter(paragraph__isnull=False).count() == 3
