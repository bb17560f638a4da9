"""Role and unit predicates, and what they mean on real pages: a liaison reaches only their unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from daihoi.core import rules as core_rules
from daihoi.core.models import Role, Unit
from daihoi.core.services.errors import NotAllowed
from daihoi.core.services.units import update_unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_liaison_predicate_is_scoped_to_their_unit(role_user, unit, other_unit):
    liaison = role_user(Role.UNIT_LIAISON, unit=unit)
    assert core_rules.can_view_unit(liaison, unit)
    assert not core_rules.can_view_unit(liaison, other_unit)
    assert core_rules.can_change_unit(liaison, unit)
    assert not core_rules.can_change_unit(liaison, other_unit)
    assert not core_rules.sees_all_units(liaison)
    assert list(Unit.objects.visible_to(liaison)) == [unit]


@pytest.mark.parametrize(
    "role", [Role.SYSTEM_ADMIN, Role.ORGANISING_STAFF, Role.SUBCOMMITTEE_STANDING]
)
def test_congress_wide_roles_see_every_unit(role_user, unit, other_unit, role):
    user = role_user(role)
    assert core_rules.sees_all_units(user)
    assert set(Unit.objects.visible_to(user)) >= {unit, other_unit}


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.PRESS, Role.COUNTING_BOARD, Role.MODERATOR])
def test_other_roles_see_no_unit(role_user, unit, role):
    user = role_user(role)
    assert not core_rules.can_view_unit(user, unit)
    assert not Unit.objects.visible_to(user).exists()


def test_deactivated_liaison_loses_scope(role_user, unit):
    liaison = role_user(Role.UNIT_LIAISON, unit=unit)
    liaison.is_active = False
    liaison.save()
    liaison.refresh_from_db()
    assert not core_rules.can_view_unit(liaison, unit)


def test_liaison_pages_show_own_unit_and_404_for_another(client, role_user, unit, other_unit):
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    listing = client.get(reverse("unit_list"))
    assert listing.status_code == 200
    assert unit.name in listing.text and other_unit.name not in listing.text
    assert client.get(reverse("unit_detail", args=[unit.pk])).status_code == 200
    assert client.get(reverse("unit_detail", args=[other_unit.pk])).status_code == 404
    assert client.get(reverse("unit_update", args=[other_unit.pk])).status_code == 404
    response = client.post(reverse("unit_update", args=[other_unit.pk]), {"phone": "0243"})
    assert response.status_code == 404
    other_unit.refresh_from_db()
    assert other_unit.phone == ""


def test_404_page_is_vietnamese(client, role_user, unit, other_unit):
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    page = client.get(reverse("unit_detail", args=[other_unit.pk]))
    assert "Không tìm thấy trang" in page.text


def test_liaison_edits_contact_fields_of_own_unit_only(client, role_user, unit):
    liaison = role_user(Role.UNIT_LIAISON, unit=unit)
    client.force_login(liaison)
    form = client.get(reverse("unit_update", args=[unit.pk]))
    assert 'name="phone"' in form.text and 'name="name"' not in form.text
    response = client.post(
        reverse("unit_update", args=[unit.pk]),
        {"phone": "024 3825 3555", "email": "vp@hanoi.gov.vn", "address": "", "name": "Khác"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.phone == "024 3825 3555"
    assert unit.name.startswith("Quận ủy Thử nghiệm")
    with pytest.raises(NotAllowed):
        update_unit(liaison, unit, {"name": "Tên mới"})


def test_staff_renames_a_unit_and_the_change_is_audited(client, role_user, unit):
    from daihoi.audit.models import AuditEntry

    staff = role_user(Role.ORGANISING_STAFF)
    client.force_login(staff)
    response = client.post(
        reverse("unit_update", args=[unit.pk]),
        {"name": "Ban Tuyên giáo Thành ủy", "kind": "party_organ", "aliases_text": "BTG Thành ủy"},
    )
    assert response.status_code == 302, response.text
    unit.refresh_from_db()
    assert unit.name == "Ban Tuyên giáo Thành ủy" and unit.aliases == ["BTG Thành ủy"]
    entry = AuditEntry.objects.filter(action="unit.updated").latest("seq")
    assert entry.actor == staff and entry.target_id == str(unit.pk)


def test_duplicate_unit_name_gives_a_message_not_a_500(client, role_user, unit, other_unit):
    client.force_login(role_user(Role.ORGANISING_STAFF))
    response = client.post(
        reverse("unit_update", args=[unit.pk]), {"name": other_unit.name, "kind": "district"}
    )
    assert response.status_code == 200
    assert (
        "đã có" in response.text or "already exists" in response.text or "tồn tại" in response.text
    )


def test_user_management_is_403_for_non_admins(client, role_user, unit):
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    page = client.get(reverse("user_list"))
    assert page.status_code == 403
    assert "Không có quyền truy cập" in page.text
    target = role_user(Role.DELEGATE)
    assert client.post(reverse("user_reset_password", args=[target.pk])).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, unit):
    response = client.get(reverse("unit_detail", args=[unit.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _queries_for(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_unit_list_has_no_n_plus_one(client, role_user):
    client.force_login(role_user(Role.ORGANISING_STAFF))
    parent = UnitFactory()
    UnitFactory(parent=parent)
    url = reverse("unit_list")
    client.get(url)  # warm-up: session and per-user caches
    with_two = _queries_for(client, url)
    UnitFactory.create_batch(5, parent=parent)
    assert _queries_for(client, url) == with_two
