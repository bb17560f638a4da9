"""Delegate pages: who sees what, no N+1, and the upload → preview → confirm workflow."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from daihoi.core.models import Role
from daihoi.delegates.models import Category, Delegate
from tests.delegates.conftest import HEADERS, xlsx_file
from tests.delegates.test_base import make

pytestmark = pytest.mark.django_db
LIST = reverse("delegates:list")


def test_liaison_gets_403(client, congress, role_user, unit):
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("delegates:import")).status_code == 403
    assert client.get(reverse("delegates:export")).status_code == 403


def test_anonymous_is_sent_to_login(client, congress):
    assert client.get(LIST).status_code == 302


def test_delegate_sees_only_own_record(client, congress, role_user):
    account = role_user(Role.DELEGATE)
    make(congress, "Nguyễn Văn Chính Mình", user=account)
    make(congress, "Người Khác")
    client.force_login(account)
    page = client.get(LIST)
    assert page.status_code == 200
    assert [d.full_name for d in page.context["object_list"]] == ["Nguyễn Văn Chính Mình"]
    assert "Đại biểu" in [item.label for item in page.context["navigation"]]
    assert client.get(reverse("delegates:import")).status_code == 403


def test_credentials_committee_reads_all_but_may_not_import(client, congress, role_user):
    make(congress, "Một")
    make(congress, "Hai")
    client.force_login(role_user(Role.CREDENTIALS_COMMITTEE))
    assert len(client.get(LIST).context["object_list"]) == 2
    assert client.get(reverse("delegates:import")).status_code == 403


def test_list_query_count_does_not_grow(
    client, congress, staff, unit, django_assert_num_queries, django_assert_max_num_queries
):
    official = make(congress, "Chính thức", party_unit=unit)
    client.force_login(staff)
    client.get(LIST)  # warm the session
    with django_assert_max_num_queries(20) as one:
        assert client.get(LIST).status_code == 200
    make(congress, "Dự khuyết", Category.RESERVE, replaces=official)
    make(congress, "Ba", party_unit=unit)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(LIST)
    assert len(page.context["object_list"]) == 3


def test_import_workflow(client, congress, staff):
    client.force_login(staff)
    assert client.get(reverse("delegates:import")).status_code == 200
    rows = [HEADERS, [1, "Nguyễn Văn Một", "Nam", "01/02/1970"] + [""] * 6 + ["Được bầu", ""]]
    page = client.post(reverse("delegates:import"), {"file": xlsx_file(rows)})
    assert page.status_code == 200
    assert page.context["preview"].mapping["full_name"] == "Họ và tên"
    mapping = {name: chosen for name, _label, chosen in page.context["fields"] if chosen}
    done = client.post(reverse("delegates:import_confirm"), mapping, follow=True)
    assert "Đã nhập danh sách: thêm 1, cập nhật 0 đại biểu." in done.content.decode()
    assert Delegate.objects.get().full_name == "Nguyễn Văn Một"
    exported = client.get(reverse("delegates:export"))
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert sheet["B2"].value == "Nguyễn Văn Một"


def test_import_with_errors_shows_rows_and_saves_nothing(client, congress, staff):
    client.force_login(staff)
    rows = [HEADERS, [1, "Nguyễn Văn Một", "Gì", "01/02/1970"] + [""] * 6 + ["Được bầu", ""]]
    client.post(reverse("delegates:import"), {"file": xlsx_file(rows)})
    page = client.post(reverse("delegates:import_confirm"), {"full_name": "Họ và tên",
        "gender": "Giới tính", "birth_date": "Ngày sinh", "category": "Loại đại biểu"})  # fmt: skip
    assert "Dòng 2: Giới tính «Gì» không hợp lệ." in page.content.decode()
    assert not Delegate.objects.exists()


def test_wrong_file_is_refused(client, congress, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    fake = SimpleUploadedFile("dai-bieu.xlsx", b"not a workbook")
    page = client.post(reverse("delegates:import"), {"file": fake}, follow=True)
    assert "nội dung không phải" in page.content.decode()


def test_preview_shows_header_problems(client, congress, staff):
    client.force_login(staff)
    rows = [HEADERS + ["Họ và tên"], [1, "A", "Nam", "01/01/1970"] + [""] * 6 + ["Được bầu"]]
    page = client.post(reverse("delegates:import"), {"file": xlsx_file(rows)})
    assert "xuất hiện hai lần" in page.content.decode()
    assert "Hãy chọn tệp" in client.post(reverse("delegates:import"), follow=True).content.decode()


def test_detail_own_record_and_404_for_another(client, congress, role_user):
    account = role_user(Role.DELEGATE)
    own = make(congress, "Nguyễn Văn Chính Mình", user=account)
    other = make(congress, "Người Khác")
    client.force_login(account)
    page = client.get(reverse("delegates:detail", args=[own.pk]))
    assert page.status_code == 200
    assert "Nguyễn Văn Chính Mình" in page.content.decode()
    assert client.get(reverse("delegates:detail", args=[other.pk])).status_code == 404


def test_detail_shows_attendance_per_session(client, congress, staff):
    import datetime as dt

    from django.utils import timezone

    from daihoi.delegates.models import Attendance, Session, SessionKind

    delegate = make(congress, "Trần Thị Có Mặt")
    moment = timezone.make_aware(dt.datetime(2025, 10, 14, 7, 45))
    session = Session.objects.create(
        congress=congress, name="Phiên trù bị", kind=SessionKind.PREPARATORY, starts_at=moment
    )
    Attendance.objects.create(delegate=delegate, session=session, present_at=moment)
    client.force_login(staff)
    body = client.get(reverse("delegates:detail", args=[delegate.pk])).content.decode()
    assert "Phiên trù bị" in body and "07:45 14/10/2025" in body
