"""The demo delegates: the Hanoi 2015 shape, sessions, badges and groups; loading twice adds
nothing."""

from __future__ import annotations

import pytest

from daihoi.core.models import Congress, User
from daihoi.core.services.example import load_example
from daihoi.delegates.base import compute_base
from daihoi.delegates.demo import load_demo_delegates
from daihoi.delegates.models import Badge, Category, Delegate, DelegateGroup
from daihoi.delegates.services.credentials import credentials_report

pytestmark = pytest.mark.django_db


def test_demo_delegates_in_the_hanoi_2015_shape(tmp_path):
    load_example(tmp_path / "logins.json")
    assert load_demo_delegates() == 510
    congress = Congress.objects.get(is_current=True)
    delegates = Delegate.objects.filter(congress=congress)
    assert delegates.filter(category=Category.EX_OFFICIO).count() == 68
    assert delegates.filter(category=Category.ELECTED).count() == 432
    report = credentials_report(congress, congress.sessions.order_by("starts_at").first())
    assert (report.summoned, report.present.count, report.present.percent) == (500, 495, "99,00%")
    assert report.absent.count == 5
    assert len(report.absentees) == 5 and all(a.reason != "chưa rõ lý do" for a in report.absentees)
    assert compute_base(congress).summoned == 500
    assert Badge.objects.filter(delegate__congress=congress, revoked_at__isnull=True).count() == 510
    sizes = [g.members.count() for g in DelegateGroup.objects.filter(congress=congress)]
    assert len(sizes) == 12 and max(sizes) - min(sizes) <= 1
    own = User.objects.get(username="daibieu").delegate_records.get()
    assert own.full_name == "Đặng Văn Hùng"
    assert load_demo_delegates() == 0
    assert delegates.count() == 510
