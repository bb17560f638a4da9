"""Pages: scoping (404 for another unit's task), Vietnamese messages, and N+1 guards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daihoi.core.models import Role
from daihoi.tasks.models import Task
from tests.factories import UnitFactory
from tests.tasks.helpers import make_task

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["task_list", "task_dashboard"])
def test_no_n_plus_one(client, role_user, name):
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    url = reverse(name)
    make_task(UnitFactory(), due=dt.date(2030, 1, 1), chain=["Tiểu ban"])
    client.get(url)
    one = _count(client, url)
    for _ in range(2):
        make_task(UnitFactory(), due=dt.date(2020, 1, 1), coordinating=[UnitFactory()])
    assert _count(client, url) == one


def test_liaison_sees_own_tasks_and_404_for_others(client, role_user, unit, other_unit):
    mine = make_task(unit, due=dt.date(2030, 1, 1), title="Việc của đơn vị tôi")
    theirs = make_task(other_unit, due=dt.date(2030, 1, 1), title="Việc đơn vị khác")
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    listing = client.get(reverse("task_list"))
    assert "Việc của đơn vị tôi" in listing.text and "Việc đơn vị khác" not in listing.text
    assert client.get(reverse("task_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("task_detail", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("task_progress", args=[theirs.pk]), {"text": "x", "percent": 5})
    assert response.status_code == 404
    assert not theirs.reports.exists()
    assert client.get(reverse("unit_dashboard", args=[other_unit.pk])).status_code == 404
    dash = client.get(reverse("task_dashboard"))
    assert unit.name in dash.text and other_unit.name not in dash.text


def test_progress_form_bad_input_is_a_vietnamese_message(client, role_user, unit):
    task = make_task(unit, due=dt.date(2030, 1, 1))
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    response = client.post(
        reverse("task_progress", args=[task.pk]), {"text": "Tiến độ", "percent": 150}, follow=True
    )
    assert response.status_code == 200
    assert "100" in response.text and not task.reports.exists()


def test_upload_of_wrong_type_is_refused(client, role_user, unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = make_task(unit, due=dt.date(2030, 1, 1))
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    fake = SimpleUploadedFile("baocao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("task_progress", args=[task.pk]),
        {"text": "Kèm báo cáo", "percent": 50, "files": [fake]},
        follow=True,
    )
    assert "mang đuôi .pdf nhưng nội dung không phải PDF" in response.text
    assert not task.reports.exists()


def test_standing_member_creates_a_task_from_the_form(client, role_user, unit):
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    response = client.post(
        reverse("task_create"),
        {
            "title": "Hoàn thành phim phóng sự",
            "lead_units": [unit.pk],
            "deadline_kind": "month",
            "deadline_date": "15/07/2030",
            "deadline_text": "trong tháng 7/2030",
            "approval_chain": "Tiểu ban\nThường trực Thành ủy",
        },
    )
    assert response.status_code == 302, response.text
    task = Task.objects.get(title="Hoàn thành phim phóng sự")
    assert task.deadline_date == dt.date(2030, 7, 31)
    assert list(task.approval_steps.values_list("body_text", flat=True)) == [
        "Tiểu ban",
        "Thường trực Thành ủy",
    ]
    missing_lead = client.post(reverse("task_create"), {"title": "X", "deadline_kind": "none"})
    assert missing_lead.status_code == 200 and "chủ trì" in missing_lead.text


def test_member_reads_but_cannot_create(client, role_user):
    client.force_login(role_user(Role.SUBCOMMITTEE_MEMBER))
    assert client.get(reverse("task_dashboard")).status_code == 200
    assert client.get(reverse("task_create")).status_code == 403


def test_delegate_has_no_task_pages(client, role_user):
    client.force_login(role_user(Role.DELEGATE))
    assert client.get(reverse("task_dashboard")).status_code == 403


def test_edit_page_saves_and_liaison_cannot_edit(client, role_user, unit):
    task = make_task(unit, due=dt.date(2030, 1, 1), title="Tên cũ")
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    assert client.get(reverse("task_edit", args=[task.pk])).status_code == 403
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    page = client.get(reverse("task_edit", args=[task.pk]))
    assert page.status_code == 200 and "Tên cũ" in page.text
    response = client.post(
        reverse("task_edit", args=[task.pk]),
        {"title": "Tên mới", "deadline_kind": "date", "deadline_date": "01/01/2030"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Tên mới"


def test_progress_file_is_stored_and_downloaded_only_in_scope(client, role_user, unit, other_unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from daihoi.tasks.models import ProgressFile

    task = make_task(unit, due=dt.date(2030, 1, 1))
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    client.post(
        reverse("task_progress", args=[task.pk]),
        {"text": "Kèm báo cáo", "percent": 50, "files": [pdf]},
    )
    stored = ProgressFile.objects.get()
    assert stored.original_name == "bao-cao.pdf" and stored.size == 15
    download = client.get(reverse("progress_file", args=[stored.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    client.force_login(role_user(Role.UNIT_LIAISON, unit=other_unit))
    assert client.get(reverse("progress_file", args=[stored.pk])).status_code == 404


def test_split_a_generic_group_from_the_page(client, role_user, unit, other_unit):
    task = make_task("các sở, ngành thành phố", due=dt.date(2030, 1, 1), title="Rà soát hạng mục")
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    page = client.get(reverse("task_detail", args=[task.pk]))
    assert "Giao cho từng đơn vị" in page.text
    response = client.post(
        reverse("task_split", args=[task.pk]), {"units": [unit.pk, other_unit.pk]}
    )
    assert response.status_code == 302
    assert sorted(c.task_units.get().unit_id for c in task.children.all()) == sorted(
        [unit.pk, other_unit.pk]
    )
    client.force_login(role_user(Role.SUBCOMMITTEE_MEMBER))
    assert (
        client.post(reverse("task_split", args=[task.pk]), {"units": [unit.pk]}).status_code == 403
    )


def test_dashboard_chart_bars_have_svg_numbers(client, role_user, unit):
    import re

    make_task(unit, due=dt.date(2030, 1, 1))
    make_task(unit, due=dt.date(2020, 1, 1))
    make_task(unit, kind="none")
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    page = client.get(reverse("task_dashboard")).text
    widths = re.findall(r'<rect class="g-\w+" x="([^"]+)" y="0" width="([^"]+)"', page)
    assert len(widths) == 3
    for x, width in widths:
        assert re.fullmatch(r"\d+\.\d", x) and re.fullmatch(r"\d+\.\d", width)
    assert sum(float(w) for _, w in widths) == pytest.approx(400, abs=0.2)
