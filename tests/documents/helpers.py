"""Builders shared by the register's tests: real documents, real PDF and DOCX files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from daihoi.documents.models import Document
from daihoi.documents.services import register_document
from tests.factories import sign_in

SUMMARY = (
    "Kết luận của Phó Bí thư Thường trực Thành ủy, Trưởng Tiểu ban tại hội nghị giao ban "
    "Tiểu ban tổ chức phục vụ Đại hội lần thứ XVII Đảng bộ thành phố Hà Nội"
)


def make_document(
    symbol: str = "2682-TB/TU",
    date: dt.date = dt.date(2020, 6, 22),
    summary: str = SUMMARY,
    actor=None,
    **fields,
) -> Document:
    return register_document(actor, symbol=symbol, date=date, summary=summary, **fields)


# The one sign-in helper of the tests, under the name these tests use.
login = sign_in


def pdf_bytes(text: str = "Thong bao so 2682-TB/TU") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(text: str = "Kế hoạch số 01-KH/TBTCPV") -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
