"""Tệp đính kèm: PDF or DOCX only, checked by name and content, size-limited, stored once."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.documents.models import Attachment, Document
from daihoi.documents.services.base import Actor, require_manager
from daihoi.documents.services.errors import AttachmentRefused
from daihoi.vietnamese import format_number, nfc

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = {".pdf": PDF, ".docx": DOCX}


def max_upload_bytes() -> int:
    return int(getattr(settings, "DAIHOI_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def _megabytes(size: int) -> str:
    return format_number(size / (1024 * 1024), 1)


def _original_name(uploaded: UploadedFile) -> str:
    # Browsers on Windows may send a full path; keep the last part only.
    name = PurePath(nfc(uploaded.name or "").replace("\\", "/")).name.strip()
    if not name:
        raise AttachmentRefused(_("Tệp không có tên."), code="no_name")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else name[:200]
    return name


def _hash(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _is_pdf(uploaded: UploadedFile) -> bool:
    uploaded.seek(0)
    head = uploaded.read(5)
    uploaded.seek(0)
    return head == b"%PDF-"


def _is_docx(uploaded: UploadedFile) -> bool:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded.seek(0)


def _content_type(uploaded: UploadedFile, name: str) -> str:
    extension = PurePath(name).suffix.lower()
    if extension not in KINDS:
        raise AttachmentRefused(
            _("Chỉ nhận tệp PDF hoặc Word (DOCX); tệp «%(name)s» không phải.") % {"name": name},
            code="bad_extension",
        )
    if extension == ".pdf" and not _is_pdf(uploaded):
        raise AttachmentRefused(
            _("Tệp «%(name)s» mang đuôi .pdf nhưng nội dung không phải PDF.") % {"name": name},
            code="not_pdf",
        )
    if extension == ".docx" and not _is_docx(uploaded):
        raise AttachmentRefused(
            _("Tệp «%(name)s» mang đuôi .docx nhưng nội dung không phải tài liệu Word (DOCX).")
            % {"name": name},
            code="not_docx",
        )
    return KINDS[extension]


@contextmanager
def removed_on_error(storage: Storage, name: str) -> Iterator[None]:
    """Delete a file just stored when what follows (the database write) fails."""
    try:
        yield
    except BaseException:
        storage.delete(name)
        raise


@transaction.atomic
def add_attachment(actor: Actor, document: Document, uploaded_file: UploadedFile) -> Attachment:
    """Attach a PDF or DOCX to a document; the same content twice on one document is refused."""
    require_manager(actor)
    name = _original_name(uploaded_file)
    size = uploaded_file.size or 0
    if size == 0:
        raise AttachmentRefused(_("Tệp «%(name)s» rỗng.") % {"name": name}, code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise AttachmentRefused(
            _("Tệp «%(name)s» nặng %(size)s MB, vượt giới hạn %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
            code="too_large",
        )
    content_type = _content_type(uploaded_file, name)
    document = Document.objects.select_for_update().get(pk=document.pk)
    sha256 = _hash(uploaded_file)
    same = document.attachments.filter(sha256=sha256).first()
    if same is not None:
        raise AttachmentRefused(
            _("Nội dung tệp này đã được đính kèm văn bản (tệp «%(name)s»).")
            % {"name": same.original_name},
            code="duplicate_attachment",
        )
    attachment = Attachment(
        document=document,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.file.save(name, uploaded_file, save=False)
    with removed_on_error(attachment.file.storage, attachment.file.name), transaction.atomic():
        attachment.save()
        record(
            actor,
            "attachment.added",
            attachment,
            {
                "document": document.pk,
                "symbol": document.symbol,
                "name": name,
                "size": size,
                "sha256": sha256,
            },
        )
    return attachment
