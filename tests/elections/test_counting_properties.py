"""Properties of the counting engine over generated elections (hypothesis)."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.elections import (
    BOARD_REASONS,
    Ballot,
    BallotKind,
    Rules,
    allowed_marks,
    tally,
)


@st.composite
def elections(draw: st.DrawFn) -> dict:
    kind = draw(st.sampled_from(list(BallotKind)))
    if kind is BallotKind.SINGLE:
        size, seats = 1, 1
    else:
        size = draw(st.integers(1, 6))
        seats = draw(st.integers(1, size + 1))
    marks = st.sampled_from(sorted(allowed_marks(kind), key=lambda m: -1 if m is None else m))
    board = st.one_of(st.none(), st.sampled_from(sorted(BOARD_REASONS)))
    ballot = st.builds(Ballot, st.tuples(*[marks] * size), board)
    return {
        "ballots": draw(st.lists(ballot, max_size=40)),
        "candidates": [f"Ứng cử viên {i}" for i in range(size)],
        "seats": seats,
        "base": draw(st.integers(1, 50)),
        "kind": kind,
        "rules": draw(st.builds(Rules, **{f.name: st.booleans() for f in fields(Rules)})),
    }


@settings(max_examples=300, deadline=None)
@given(elections())
def test_counting_invariants(election: dict) -> None:
    result = tally(**election)
    ballots, base, seats = election["ballots"], election["base"], election["seats"]
    assert result.valid + result.invalid_total == result.ballots_collected == len(ballots)
    assert result.problems == ()
    by_name = {c.name: c for c in result.candidates}
    for i, candidate in enumerate(result.candidates):
        assert candidate.votes <= result.valid
        kept = sum(1 for b in ballots if b.marks and b.marks[i] == 1)
        assert candidate.votes <= kept
        assert candidate.elected == (candidate.name in result.elected)
    assert len(result.elected) <= seats
    assert len(result.elected) + result.tied_seats + result.unfilled == seats
    votes = [by_name[name].votes for name in result.elected]
    assert all(2 * v > base for v in votes)
    assert votes == sorted(votes, reverse=True)
    if result.tied:
        assert len({by_name[name].votes for name in result.tied}) == 1
        assert len(result.tied) > result.tied_seats > 0
        assert 2 * by_name[result.tied[0]].votes > base
        assert result.next_round is not None
    # Nobody left out has more than half the base unless the seats are all taken or tied.
    if result.unfilled:
        assert all(2 * c.votes <= base for c in result.candidates if c.name not in result.elected)


@settings(max_examples=150, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_the_order_of_ballots_changes_nothing(election: dict, random) -> None:
    shuffled = list(election["ballots"])
    random.shuffle(shuffled)
    assert tally(**{**election, "ballots": shuffled}) == tally(**election)
