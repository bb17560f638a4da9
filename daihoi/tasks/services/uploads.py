"""Checks for uploaded files: type by extension and content, size from the settings."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

from daihoi.core.services.errors import InvalidInput

ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def _looks_like(ext: str, head: bytes, content: bytes) -> bool:
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext in {".jpg", ".jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if ext == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in {".docx", ".xlsx"}:
        member = "word/document.xml" if ext == ".docx" else "xl/workbook.xml"
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return member in archive.namelist()
        except zipfile.BadZipFile:
            return False
    return False


def check_upload(uploaded) -> CheckedFile:
    name = uploaded.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED:
        raise InvalidInput(
            f"Tệp «{name}» không được nhận: chỉ nhận PDF, DOCX, XLSX, JPG, PNG.", code="file_type"
        )
    limit = settings.DAIHOI_MAX_UPLOAD_MB * 1024 * 1024
    if uploaded.size > limit:
        raise InvalidInput(
            f"Tệp «{name}» quá lớn ({uploaded.size / 1048576:.1f} MB); tối đa "
            f"{settings.DAIHOI_MAX_UPLOAD_MB} MB.".replace(".", ",", 1),
            code="file_size",
        )
    content = uploaded.read()
    if not _looks_like(ext, content[:16], content):
        raise InvalidInput(
            f"Nội dung tệp «{name}» không đúng định dạng {ext[1:].upper()}.", code="file_content"
        )
    return CheckedFile(name, content, ALLOWED[ext], hashlib.sha256(content).hexdigest())
