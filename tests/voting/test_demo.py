"""The demo floor: programme items, approved bodies giving the demo accounts their seats,
show-of-hands votes, one published and one open electronic vote; loading twice adds nothing."""

from __future__ import annotations

import pytest

from daihoi.bodies.models import Body, ShowOfHandsVote
from daihoi.core.services.example import load_example
from daihoi.delegates.demo import load_demo_delegates
from daihoi.programme.models import ProgrammeItem
from daihoi.voting.demo import load_demo_floor
from daihoi.voting.models import OpenVote, VoteState

pytestmark = pytest.mark.django_db


def test_demo_floor(tmp_path):
    load_example(tmp_path / "logins.json")
    load_demo_delegates()
    assert load_demo_floor() == 6
    assert ProgrammeItem.objects.count() == 6
    assert Body.objects.filter(approved_at__isnull=False).count() == 3
    assert ShowOfHandsVote.objects.filter(passed=True).count() == 3
    states = sorted(OpenVote.objects.values_list("state", flat=True))
    assert states == [VoteState.OPEN, VoteState.PUBLISHED]
    assert load_demo_floor() == 0
