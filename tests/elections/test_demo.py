"""The demo elections: 71 of 80 sealed in one round, and the tie path open for round 2."""

from __future__ import annotations

import pytest

from daihoi.core.services.example import load_example
from daihoi.delegates.demo import load_demo_delegates
from daihoi.elections.demo import load_demo_elections
from daihoi.elections.models import Election, RoundStatus
from daihoi.elections.services.counting import verify_seal
from daihoi.elections.services.seals import sealed_round_problems

pytestmark = pytest.mark.django_db


def test_demo_elections(tmp_path):
    load_example(tmp_path / "logins.json")
    load_demo_delegates()
    assert load_demo_elections() == 2
    committee, national = Election.objects.order_by("pk")
    first = committee.rounds.get()
    assert (committee.seats, committee.candidates.count(), first.base) == (71, 80, 495)
    assert first.status == RoundStatus.SEALED and verify_seal(first).ok
    assert len(first.result["elected"]) == 71
    assert first.result["invalid"] == {"not_issued": 1, "too_many": 2}
    tie, second = national.rounds.order_by("number")
    assert len(tie.result["tied"]) == 2 and tie.result["next_round"]["reason"] == "tie"
    assert (second.number, second.seats, second.base, second.status) == (2, 1, 495, "entry")
    assert sealed_round_problems() == []
    assert load_demo_elections() == 0
