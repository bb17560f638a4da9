"""Attachments: PDF or DOCX by name and content, size limit, one copy per content, nothing half
saved."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.core.models import User
from daihoi.core.uploads import DOCX, PDF
from daihoi.documents.models import Attachment
from daihoi.documents.services import AttachmentRefused, NotAllowed, add_attachment
from tests.documents.helpers import docx_bytes, make_document, media_files, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    return make_document()


def test_a_real_pdf_is_stored_with_its_hash(notice, organising):
    content = pdf_bytes()
    attachment = add_attachment(organising, notice, upload("Thông báo 2682.pdf", content))
    attachment.refresh_from_db()
    assert attachment.content_type == PDF
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.original_name == "Thông báo 2682.pdf"
    assert attachment.uploaded_by == organising
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    entry = AuditEntry.objects.get(action="attachment.added")
    assert entry.actor == organising and entry.payload["sha256"] == attachment.sha256


def test_a_real_docx_is_stored(notice, standing):
    attachment = add_attachment(standing, notice, upload("ke-hoach.DOCX", docx_bytes()))
    assert attachment.content_type == DOCX
    assert len(media_files()) == 1


def test_a_windows_path_keeps_only_the_file_name(notice, admin):
    attachment = add_attachment(admin, notice, upload("C:\\Văn bản\\tb.pdf", pdf_bytes()))
    assert attachment.original_name == "tb.pdf"


def _zip_without_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "not_pdf", "không phải PDF"),
        ("ghi-chu.docx", "Đây là văn bản thường.".encode(), "not_docx", "không phải tài liệu Word"),
        ("bang-tinh.docx", _zip_without_word(), "not_docx", "không phải tài liệu Word"),
        ("ke-hoach.pdf", docx_bytes(), "not_pdf", "không phải PDF"),
        ("thong-bao.docx", pdf_bytes(), "not_docx", "không phải tài liệu Word"),
        ("setup.exe", b"MZ\x90\x00", "bad_extension", "Chỉ nhận tệp PDF hoặc Word"),
        ("thong-bao", pdf_bytes(), "bad_extension", "Chỉ nhận tệp PDF hoặc Word"),
        ("rong.pdf", b"", "empty", "rỗng"),
    ],
)
def test_refused_files_leave_no_file_and_no_row(notice, admin, name, content, code, message):
    with pytest.raises(AttachmentRefused) as caught:
        add_attachment(admin, notice, upload(name, content))
    assert caught.value.code == code
    assert message in caught.value.message
    assert not Attachment.objects.exists()
    assert media_files() == []
    assert not AuditEntry.objects.filter(action="attachment.added").exists()


def test_oversized_file_is_refused_by_the_setting(notice, admin, settings):
    settings.DAIHOI_MAX_UPLOAD_MB = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)
    with pytest.raises(AttachmentRefused) as caught:
        add_attachment(admin, notice, upload("lon.pdf", big))
    assert caught.value.code == "too_large"
    assert "vượt giới hạn 1,0 MB" in caught.value.message
    assert media_files() == [] and not Attachment.objects.exists()
    settings.DAIHOI_MAX_UPLOAD_MB = 2
    assert add_attachment(admin, notice, upload("lon.pdf", big)).size == len(big)


def test_the_same_content_twice_on_one_document_is_refused(notice, admin):
    content = pdf_bytes()
    add_attachment(admin, notice, upload("a.pdf", content))
    with pytest.raises(AttachmentRefused, match="đã được đính kèm") as caught:
        add_attachment(admin, notice, upload("b.pdf", content))
    assert caught.value.code == "duplicate_attachment"
    assert Attachment.objects.count() == 1 and len(media_files()) == 1
    # The same file on another document is fine.
    plan = make_document("01-KH/TBTCPV")
    add_attachment(admin, plan, upload("a.pdf", content))
    assert len(media_files()) == 2


def test_a_failed_database_write_removes_the_stored_file(notice):
    # An unsaved superuser passes the permission check; saving the row then fails because
    # uploaded_by points to no row: the file written just before must go away again.
    ghost = User(username="ma", is_superuser=True, is_active=True)
    with pytest.raises(ValueError, match="uploaded_by"):
        add_attachment(ghost, notice, upload("tb.pdf", pdf_bytes()))
    assert media_files() == []
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("role_name", ["liaison", "member", "delegate"])
def test_only_register_keepers_attach(request, notice, role_name):
    with pytest.raises(NotAllowed):
        add_attachment(request.getfixturevalue(role_name), notice, upload("a.pdf", pdf_bytes()))
    assert media_files() == []
