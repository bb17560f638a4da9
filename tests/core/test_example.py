"""The example congress: matches the shared unit directory, and loading twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Congress, RoleAssignment, Unit, User
from daihoi.core.services.example import load_example

SHARED_UNITS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "hanoi-units.json"


def test_example_directory_matches_the_shared_data():
    from daihoi.core import example

    shared = json.loads(SHARED_UNITS.read_text(encoding="utf-8"))["units"]
    ours = {
        name: (acronym, kind, parent, aliases)
        for name, acronym, kind, parent, aliases in example.UNITS
    }
    assert len(ours) == len(shared) == 44
    for unit in shared:
        acronym, kind, parent, aliases = ours[unit["name"]]
        assert kind == unit["kind"], unit["name"]
        assert acronym == unit.get("acronym", ""), unit["name"]
        assert parent == unit.get("parent"), unit["name"]
        assert aliases == unit["aliases"], unit["name"]
    assert sum(1 for u in shared if u["kind"] == "district") == 30


@pytest.mark.django_db
def test_loading_twice_changes_nothing(tmp_path):
    logins_file = tmp_path / "demo-logins.json"
    first = load_example(logins_file)
    assert first.units_created == 44 and first.congress_created

    def snapshot():
        return (
            list(Unit.objects.order_by("pk").values()),
            list(Congress.objects.values()),
            list(User.objects.order_by("pk").values("username", "password", "is_superuser")),
            list(RoleAssignment.objects.order_by("pk").values("user_id", "role", "unit_id")),
            AuditEntry.objects.count(),
        )

    before = snapshot()
    second = load_example(logins_file)
    assert second.units_created == 0 and not second.congress_created
    assert snapshot() == before
    assert [(x.username, x.password) for x in second.logins] == [
        (x.username, x.password) for x in first.logins
    ]


@pytest.mark.django_db
def test_example_congress_and_one_account_per_role(tmp_path):
    from daihoi.core.models import Role

    result = load_example(tmp_path / "logins.json")
    congress = Congress.objects.get(is_current=True)
    assert congress.title == (
        "Đại hội đại biểu lần thứ XVII Đảng bộ thành phố Hà Nội, nhiệm kỳ 2020–2025"
    )
    assert congress.convening_committee.name == "Thành ủy Hà Nội"
    assert {login.role for login in result.logins} == set(Role.values)
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and admin.requires_two_factor
    liaison = User.objects.get(username="daumoi.btg")
    assert [u.name for u in Unit.objects.visible_to(liaison)] == ["Ban Tuyên giáo Thành ủy"]
    assert (tmp_path / "logins.json").stat().st_mode & 0o077 == 0
