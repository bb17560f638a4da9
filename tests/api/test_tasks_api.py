import datetime as dt

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from tests.factories import sign_in
from tests.tasks.helpers import make_task

pytestmark = pytest.mark.django_db


def test_liaison_lists_only_own_tasks_and_gets_404_for_others(client, role_user, unit, other_unit):
    mine = make_task(unit, due=dt.date(2030, 1, 1), chain=["Tiểu ban"])
    theirs = make_task(other_unit, due=dt.date(2030, 1, 1))
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    listing = client.get("/api/tasks/").json()
    assert [t["id"] for t in listing] == [mine.pk]
    assert listing[0]["grid"] == "open_within"
    assert listing[0]["approval_chain"][0]["body_text"] == "Tiểu ban"
    assert client.get(f"/api/tasks/{theirs.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/tasks/{theirs.pk}/progress/",
            {"text": "x", "percent": 5},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_post_progress_through_the_api(client, role_user, unit):
    task = make_task(unit, due=dt.date(2030, 1, 1))
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    response = client.post(
        f"/api/tasks/{task.pk}/progress/",
        {"text": "Đã hoàn thành 50%", "percent": 50},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert AuditEntry.objects.filter(action="task.progress", target_id=str(task.pk)).exists()
    bad = client.post(
        f"/api/tasks/{task.pk}/progress/",
        {"text": "", "percent": 50},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_member_cannot_post_and_anonymous_is_refused(client, role_user, unit):
    task = make_task(unit, due=dt.date(2030, 1, 1))
    client.force_login(role_user(Role.SUBCOMMITTEE_MEMBER))
    assert client.get(f"/api/tasks/{task.pk}/").status_code == 200
    denied = client.post(
        f"/api/tasks/{task.pk}/progress/",
        {"text": "x", "percent": 5},
        content_type="application/json",
    )
    assert denied.status_code == 403 and denied.json()["code"] == "not_allowed"
    client.logout()
    assert client.get("/api/tasks/").status_code == 403


def test_schema_is_served(client, role_user):
    sign_in(client, role_user(Role.SYSTEM_ADMIN))
    response = client.get("/api/schema/")
    assert response.status_code == 200 and b"/api/tasks/" in response.content
