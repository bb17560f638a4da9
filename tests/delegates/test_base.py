"""The base for "more than half" (Quy định 24-QĐ/TW 9.3.1) against a hand-computed fixture."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
from django.utils import timezone

from daihoi.delegates.base import compute_base
from daihoi.delegates.models import Attendance, Category, Delegate, Session
from daihoi.delegates.services.roster import replace_with_reserve, withdraw

pytestmark = pytest.mark.django_db
_numbers = count(1)


def make(congress, name, category=Category.ELECTED, committee=False, **fields) -> Delegate:
    serial = next(_numbers)
    values = {"number": serial, "gender": "nam", "birth_date": dt.date(1970, 1, 1), **fields}
    return Delegate.objects.create(
        congress=congress, full_name=name, category=category, is_committee_member=committee,
        import_key=f"key-{serial}", **values,
    )  # fmt: skip


@pytest.fixture
def hall(congress, staff):
    now = timezone.now()
    preparatory = Session.objects.create(
        congress=congress, name="Phiên trù bị", kind="preparatory", starts_at=now
    )
    official = Session.objects.create(
        congress=congress, name="Phiên chính thức", kind="official", starts_at=now
    )
    d = {
        "o1": make(congress, "Ủy viên vắng cả đại hội", Category.EX_OFFICIO, committee=True),
        "o2": make(congress, "Ủy viên chỉ dự phiên trù bị", Category.EX_OFFICIO, committee=True),
        "o3": make(congress, "Vắng, không ai thay"),
        "o4": make(congress, "Vắng, có dự khuyết thay"),
        "o5": make(congress, "Chỉ dự một phiên", Category.APPOINTED),
        "o6": make(congress, "Đã rút, không ai thay"),
        "o7": make(congress, "Đã rút, có dự khuyết thay"),
        "o8": make(congress, "Có mặt 1"),
        "o9": make(congress, "Có mặt 2"),
        "o10": make(congress, "Có mặt 3"),
        "r1": make(congress, "Dự khuyết 1", Category.RESERVE),
        "r2": make(congress, "Dự khuyết 2", Category.RESERVE),
        "r3": make(congress, "Dự khuyết không thay ai", Category.RESERVE),
    }
    withdraw(staff, d["o6"], "Chuyển công tác")
    withdraw(staff, d["o7"], "Ốm")
    replace_with_reserve(staff, d["o4"], d["r1"])
    replace_with_reserve(staff, d["o7"], d["r2"])
    Attendance.objects.create(delegate=d["o2"], session=preparatory, present_at=now)
    Attendance.objects.create(delegate=d["o5"], session=official, present_at=now)
    for key in ("o8", "o9", "o10", "r1", "r2"):
        for session in (preparatory, official):
            Attendance.objects.create(delegate=d[key], session=session, present_at=now)
    return d


def test_base_by_hand(congress, hall):
    base = compute_base(congress)
    # Summoned: o1–o5 and o8–o10 (8 active officials) + o7 (withdrawn, seat filled by r2) = 9.
    assert base.summoned == 9
    assert [x.full_name for x in base.absent_committee_members] == ["Ủy viên vắng cả đại hội"]
    # o4 is absent too, but reserve r1 replaces them; o2 and o5 came to one session only.
    assert [x.full_name for x in base.absent_unreplaced] == ["Vắng, không ai thay"]
    assert base.value == 7
    assert base.is_more_than_half(4)  # 8 > 7
    assert not base.is_more_than_half(3)  # 6 > 7 is false


def test_presence_at_any_session_keeps_a_delegate_in_the_base(congress, hall):
    session = Session.objects.get(name="Phiên chính thức")
    Attendance.objects.create(delegate=hall["o3"], session=session, present_at=timezone.now())
    assert compute_base(congress).value == 8


def test_withdrawn_reserve_no_longer_fills_the_seat(congress, hall, staff):
    withdraw(staff, hall["r1"], "Vắng")
    base = compute_base(congress)
    assert [x.full_name for x in base.absent_unreplaced] == [
        "Vắng, không ai thay",
        "Vắng, có dự khuyết thay",
    ]
    assert base.value == 6
