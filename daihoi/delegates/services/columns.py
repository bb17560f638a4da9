"""The column layout of a delegate list (import and export) and how cell values are read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from daihoi.delegates.models import Category, Gender
from daihoi.vietnamese import VietnameseDateError, fold, parse_date

# (field, header written on export); order = export column order.
COLUMNS: list[tuple[str, str]] = [
    ("number", "Số thứ tự"),
    ("full_name", "Họ và tên"),
    ("gender", "Giới tính"),
    ("birth_date", "Ngày sinh"),
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("party_unit", "Đảng bộ"),
    ("position", "Chức vụ"),
    ("education", "Trình độ chuyên môn"),
    ("political_theory", "Lý luận chính trị"),
    ("category", "Loại đại biểu"),
    ("is_committee_member", "Ủy viên BCH"),
    ("import_key", "Mã đại biểu"),
]
FIELDS = [f for f, _h in COLUMNS]
REQUIRED = ("full_name", "gender", "birth_date", "category")
# Other ways people head the same column, compared folded (no diacritics, any case).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("stt", "tt", "so tt", "so", "so dai bieu", "so the"),
    "full_name": ("ho ten", "ho va ten dai bieu", "ten"),
    "gender": ("gioi", "nam/nu", "nam nu", "phai"),
    "birth_date": ("ngay thang nam sinh", "sinh ngay", "nam sinh"),
    "party_unit": ("dang bo truc thuoc", "don vi", "dang bo, chi bo", "chi bo"),
    "position": ("chuc vu, don vi cong tac", "chuc vu hien nay"),
    "education": ("chuyen mon", "trinh do"),
    "political_theory": ("ly luan", "llct", "trinh do ly luan chinh tri"),
    "category": ("loai", "thanh phan", "dai bieu"),
    "is_committee_member": ("uy vien bch", "cap uy", "uy vien ban chap hanh", "bch"),
    "import_key": ("ma", "ma so", "id"),
}
HEADER_NAMES: dict[str, str] = {}  # folded header -> field
for _field, _header in COLUMNS:
    HEADER_NAMES[fold(_header)] = _field
    for _alias in SYNONYMS.get(_field, ()):
        HEADER_NAMES.setdefault(_alias, _field)

GENDERS = {"nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE,
           "nu": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE}  # fmt: skip
CATEGORIES = {
    "duong nhien": Category.EX_OFFICIO, "dai bieu duong nhien": Category.EX_OFFICIO,
    "duoc bau": Category.ELECTED, "bau": Category.ELECTED, "dai bieu bau": Category.ELECTED,
    "chi dinh": Category.APPOINTED, "dai bieu chi dinh": Category.APPOINTED,
    "du khuyet": Category.RESERVE, "dai bieu du khuyet": Category.RESERVE,
}  # fmt: skip
YES = {"x", "co", "1", "true", "yes", "uv", "uy vien"}
NO = {"", "khong", "0", "false", "no"}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1/1/1900 (with Excel's 1900 leap-year bug)


class CellError(ValueError):
    """A cell that cannot be read; the message is Vietnamese."""


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """field -> header for every header recognised, first match wins."""
    mapping: dict[str, str] = {}
    for header in headers:
        field = HEADER_NAMES.get(fold(header)) if header else None
        if field and field not in mapping:
            mapping[field] = header
    return mapping


def read_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    if text.isdigit() and len(text) != 4:
        return _serial(int(text))
    try:
        return parse_date(text)
    except VietnameseDateError:
        raise CellError(
            _("Ngày «%(value)s» không hợp lệ (cần dạng ngày/tháng/năm).") % {"value": text}
        ) from None


def _serial(value: float) -> dt.date:
    if not 1 <= value < 2958466:
        raise CellError(_("Số ngày Excel %(value)s không hợp lệ.") % {"value": value})
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def read_choice(value: Any, choices: dict[str, str], label: str) -> str:
    found = choices.get(fold(str(value)))
    if found is None:
        raise CellError(_("%(label)s «%(value)s» không hợp lệ.") % {"label": label, "value": value})
    return found


def read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(str(value if value is not None else ""))
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(_("Ủy viên BCH «%(value)s» không hợp lệ (ghi «x» hoặc để trống).") % {
        "value": value})  # fmt: skip


def read_number(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    text = str(value).strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise CellError(_("Số thứ tự «%(value)s» không hợp lệ.") % {"value": value})


def read_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""
