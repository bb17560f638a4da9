"""Import of delegate lists from real .xlsx and CSV files; nothing is saved on any error."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from openpyxl import load_workbook

from daihoi.audit.models import AuditEntry
from daihoi.core.services.errors import NotAllowed
from daihoi.delegates.models import Category, Delegate, Gender
from daihoi.delegates.services.importing import import_delegates, preview
from daihoi.delegates.services.roster import export_delegates
from tests.delegates.conftest import HEADERS, csv_file, xlsx_file

pytestmark = pytest.mark.django_db

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
SERIAL_1970_05_19 = 25707  # Excel serial of 19/5/1970


def _clean_rows() -> list[list]:
    return [
        ["DANH SÁCH ĐẠI BIỂU"],  # a title above the header
        HEADERS,
        [1, NFD_NAME, "nữ", SERIAL_1970_05_19, "Kinh", "Không", "Đảng bộ Quận Ba Đình",
         "Bí thư", "Thạc sĩ", "Cao cấp", "Đương nhiên", "x"],
        [],  # blank row
        [2, "Trần Văn Nam", "Nam", dt.datetime(1975, 1, 2), "Tày", "", "Đảng bộ Quận Hoàn Kiếm",
         "Phó Bí thư", "Cử nhân", "Cao cấp", "được bầu", ""],
        [3, "Lê Văn Dự", "NAM", "03/04/1980", "Kinh", "Phật giáo", "Đảng bộ Khối",
         "Chuyên viên", "Kỹ sư", "Trung cấp", "Dự khuyết", None],
    ]  # fmt: skip


def test_preview_guesses_mapping_without_diacritics():
    rows = _clean_rows()
    rows[1] = [
        "stt",
        "HO VA TEN",
        "gioi tinh",
        "Ngày sinh",
        "Dân tộc",
        "Ton giao",
        "Đảng bộ",
        "Chức vụ",
        "Trình độ chuyên môn",
        "ly luan chinh tri",
        "Loai dai bieu",
        "Uy vien BCH",
    ]
    shown = preview(xlsx_file(rows))
    assert shown.header_row == 2
    assert shown.mapping["full_name"] == "HO VA TEN"
    assert shown.mapping["political_theory"] == "ly luan chinh tri"
    assert shown.mapping["is_committee_member"] == "Uy vien BCH"
    assert shown.rows[0][1] == "Nguyễn Thị Hương"  # NFC already in the preview
    assert len(shown.rows) == 3


def test_clean_xlsx_imports_everything(congress, staff):
    result = import_delegates(staff, congress, xlsx_file(_clean_rows()), None)
    assert result.errors == []
    assert (result.created, result.updated) == (3, 0)
    first = Delegate.objects.get(number=1)
    assert first.full_name == "Nguyễn Thị Hương"
    assert unicodedata.is_normalized("NFC", first.full_name)
    assert first.birth_date == dt.date(1970, 5, 19)
    assert first.gender == Gender.FEMALE
    assert first.category == Category.EX_OFFICIO and first.is_committee_member
    second = Delegate.objects.get(number=2)
    assert second.birth_date == dt.date(1975, 1, 2) and second.category == Category.ELECTED
    third = Delegate.objects.get(number=3)
    assert third.birth_date == dt.date(1980, 4, 3) and third.category == Category.RESERVE
    assert AuditEntry.objects.filter(action="delegates.imported").count() == 1


def test_messy_xlsx_reports_every_error_with_row_numbers(congress, staff):
    rows = [
        HEADERS + ["Ghi chú", ""],
        [1, "Nguyễn Văn A", "Nam", "01/01/1970", "Kinh", "", "", "", "", "", "Được bầu", ""],
        [],
        [2, "Nguyễn Văn A", "nam", "1/1/1970", "Kinh", "", "", "", "", "", "Được bầu", ""],
        [3, "Phạm Thị B", "khác", "02/02/1972", "Kinh", "", "", "", "", "", "Được bầu", ""],
        [4, "Hoàng Văn C", "Nam", "=DATE(1980,1,1)", "Kinh", "", "", "", "", "", "Được bầu", ""],
        [5, "Đỗ Văn D", "Nam", "31/02/1980", "Kinh", "", "", "", "", "", "Ứng cử", ""],
        [6, "", "Nam", "01/01/1981", "", "", "", "", "", "", "Được bầu", "", "", "dữ liệu"],
    ]  # fmt: skip

    def merge_header(sheet):
        sheet.merge_cells("M1:N1")  # "Ghi chú" over two columns: N1 is empty, N has data

    result = import_delegates(staff, congress, xlsx_file(rows, prepare=merge_header), None)
    found = {(e.row, e.message) for e in result.errors}
    messages = " | ".join(str(e) for e in result.errors)
    assert any(r == 1 and "Cột N" in m and "gộp" in m for r, m in found), messages
    assert any(r == 4 and "Trùng người với dòng 2" in m for r, m in found), messages
    assert any(r == 5 and "Giới tính «khác»" in m for r, m in found), messages
    assert any(r == 6 and "công thức" in m for r, m in found), messages
    assert any(r == 7 and "31/02/1980" in m for r, m in found), messages
    assert any(r == 7 and "Ứng cử" in m for r, m in found), messages
    assert any(r == 8 and "Thiếu «Họ và tên»" in m for r, m in found), messages
    assert not any(r == 3 for r, _m in found)  # the blank row is skipped, not an error
    assert str(result.errors[0]).startswith("Dòng 1:")
    assert not result.saved
    assert Delegate.objects.count() == 0
    assert not AuditEntry.objects.filter(action="delegates.imported").exists()


def test_duplicated_header_is_reported(congress, staff):
    rows = [HEADERS + ["Họ và tên"], [1, "A", "Nam", "01/01/1970"] + [""] * 6 + ["Được bầu", ""]]
    result = import_delegates(staff, congress, xlsx_file(rows), None)
    assert any(e.row == 1 and "hai lần" in e.message for e in result.errors)
    assert Delegate.objects.count() == 0


def _csv_rows() -> list[list]:
    return [
        HEADERS,
        [1, "Nguyễn Văn Bình", "Nam", "05/06/1968", "Kinh", "Công giáo", "Đảng bộ Quận Đống Đa",
         "Bí thư", "Tiến sĩ", "Cao cấp", "Đương nhiên", "x"],
        [2, "Vũ Thị Lan", "Nữ", "7/8/1979", "Mường", "", "Đảng bộ Quận Tây Hồ",
         "Trưởng ban", "Cử nhân", "Cao cấp", "Chỉ định", ""],
    ]  # fmt: skip


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258", "utf-16"])
def test_csv_with_semicolons_in_excel_encodings(congress, staff, encoding):
    result = import_delegates(staff, congress, csv_file(_csv_rows(), encoding), None)
    assert result.errors == [] and result.created == 2
    lan = Delegate.objects.get(number=2)
    assert lan.full_name == "Vũ Thị Lan" and lan.ethnicity == "Mường"
    assert lan.birth_date == dt.date(1979, 8, 7) and lan.category == Category.APPOINTED
    assert Delegate.objects.get(number=1).religion == "Công giáo"


def test_csv_with_commas_and_errors(congress, staff):
    rows = _csv_rows()
    rows[2][2] = "?"
    result = import_delegates(staff, congress, csv_file(rows, "utf-8", ","), None)
    assert [e.row for e in result.errors] == [3]
    assert Delegate.objects.count() == 0


def test_reimport_updates_by_stable_key(congress, staff):
    import_delegates(staff, congress, xlsx_file(_clean_rows()), None)
    rows = _clean_rows()
    rows[2][7] = "Bí thư Quận ủy"  # new position
    rows[4][0] = 4  # a new delegate number for Trần Văn Nam
    rows.append([5, "Mai Văn Mới", "Nam", "01/01/1990", "Kinh", "", "", "", "", "", "Chỉ định", ""])
    result = import_delegates(staff, congress, xlsx_file(rows), None)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (1, 2, 1)
    assert Delegate.objects.count() == 4
    assert Delegate.objects.get(full_name="Nguyễn Thị Hương").position == "Bí thư Quận ủy"
    assert Delegate.objects.get(full_name="Trần Văn Nam").number == 4


def test_explicit_mapping_is_used(congress, staff):
    rows = [["Số", "Tên đại biểu", "Phái", "Sinh", "Loại"],
            [7, "Lý Thị Mai", "Nữ", "09/09/1985", "Được bầu"]]  # fmt: skip
    mapping = {"number": "Số", "full_name": "Tên đại biểu", "gender": "Phái",
               "birth_date": "Sinh", "category": "Loại"}  # fmt: skip
    result = import_delegates(staff, congress, xlsx_file(rows), mapping)
    assert result.errors == [] and Delegate.objects.get(number=7).full_name == "Lý Thị Mai"


def test_export_round_trips(congress, staff):
    import_delegates(staff, congress, xlsx_file(_clean_rows()), None)
    before = list(Delegate.objects.order_by("number").values())
    data = export_delegates(congress)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:4] == ["Số thứ tự", "Họ và tên", "Giới tính", "Ngày sinh"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = import_delegates(staff, congress, SimpleUploadedFile("x.xlsx", data), None)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    after = list(Delegate.objects.order_by("number").values())
    for old, new in zip(before, after, strict=True):
        old.pop("updated_at"), new.pop("updated_at")
        assert old == new


def test_liaison_may_not_import(congress, role_user, unit):
    liaison = role_user("unit_liaison", unit=unit)
    with pytest.raises(NotAllowed):
        import_delegates(liaison, congress, xlsx_file(_clean_rows()), None)


def test_missing_required_column_is_one_error(congress, staff):
    rows = [["STT", "Họ và tên"], [1, "Nguyễn Văn A"], [2, "Nguyễn Văn B"]]
    result = import_delegates(staff, congress, xlsx_file(rows), None)
    assert [str(e) for e in result.errors] == [
        "Dòng 1: Không tìm thấy cột bắt buộc: Giới tính, Ngày sinh, Loại đại biểu."
    ]


def test_party_unit_is_linked_when_recognised(congress, staff, unit):
    rows = _clean_rows()
    rows[2][6] = unit.name.upper()
    import_delegates(staff, congress, xlsx_file(rows), None)
    first = Delegate.objects.get(number=1)
    assert first.party_unit == unit and first.party_unit_text == unit.name.upper()


def test_renamed_binary_is_not_a_csv(congress, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from daihoi.core.uploads import UploadRefused

    zipped = xlsx_file(_clean_rows()).read()
    with pytest.raises(UploadRefused):
        import_delegates(staff, congress, SimpleUploadedFile("dai-bieu.csv", zipped), None)
