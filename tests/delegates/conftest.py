"""Fixtures for delegate tests: a current congress, staff accounts and spreadsheet builders."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from daihoi.core.models import Role
from tests.factories import CongressFactory

HEADERS = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Đảng bộ",
    "Chức vụ",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Loại đại biểu",
    "Ủy viên BCH",
]


@pytest.fixture
def congress(unit):
    return CongressFactory(convening_committee=unit, is_current=True)


@pytest.fixture
def staff(role_user):
    return role_user(Role.ORGANISING_STAFF)


def xlsx_file(rows: list[list], name: str = "dai-bieu.xlsx", prepare=None) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if prepare:
        prepare(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters with a tone as base letter + combining tone."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = "".join(m for m in decomposed if m not in TONE_MARKS)
            tones = "".join(m for m in decomposed if m in TONE_MARKS)
            out.append(unicodedata.normalize("NFC", base) + tones)
    return "".join(out).encode("cp1258")


def csv_file(rows: list[list], encoding: str, delimiter: str = ";") -> SimpleUploadedFile:
    text = "\r\n".join(delimiter.join(str(c) for c in row) for row in rows) + "\r\n"
    data = cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding)
    return SimpleUploadedFile("dai-bieu.csv", data)
