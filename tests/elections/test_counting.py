"""The counting engine on hand-computed elections (domain.md §5–6)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest

from daihoi.elections import (
    BLANK,
    BOTH,
    Ballot,
    BallotKind,
    CountingError,
    Invalid,
    InvalidReason,
    Round,
    Rules,
    Valid,
    ballot_order,
    check_counts,
    classify,
    select,
    tally,
)
from daihoi.vietnamese import nfd

NAMES = ["A", "B", "C", "D", "E"]
STRIKE, AGREE, SINGLE = BallotKind.STRIKE, BallotKind.AGREE, BallotKind.SINGLE


def strike(*kept: str) -> Ballot:
    return Ballot(tuple(1 if name in kept else 0 for name in NAMES))


def ballots_for(votes: dict[str, int]) -> list[Ballot]:
    """Single-name strike ballots giving exactly these vote counts."""
    return [strike(name) for name, count in votes.items() for _ in range(count)]


def test_five_candidates_three_seats_base_ten() -> None:
    ballots = (
        [strike("A", "B", "C")] * 6
        + [strike("A", "D", "E")] * 2
        + [strike("B")]
        + [strike("A", "B", "C", "D")]  # four names kept for three seats
        + [strike()]  # every name struck
    )
    result = tally(ballots, NAMES, seats=3, base=10)
    assert [c.votes for c in result.candidates] == [8, 7, 6, 2, 2]
    assert (result.ballots_collected, result.valid) == (11, 9)
    assert dict(result.invalid) == {InvalidReason.TOO_MANY: 1, InvalidReason.ALL_STRUCK: 1}
    assert result.elected == ("A", "B", "C")
    assert (result.tied, result.unfilled, result.next_round) == ((), 0, None)
    assert result.threshold == 6
    assert [c.percent_text for c in result.candidates] == [
        "80,00%",
        "70,00%",
        "60,00%",
        "20,00%",
        "20,00%",
    ]
    assert result.problems == ()


def test_exactly_half_of_the_base_is_not_elected() -> None:
    result = tally(ballots_for({"A": 6, "B": 6, "C": 5}), NAMES, seats=3, base=10)
    assert result.elected == ("A", "B")
    assert result.unfilled == 1
    nxt = result.next_round
    assert nxt is not None and nxt.reason == "unfilled" and nxt.congress_decides
    assert (nxt.number, nxt.seats, nxt.candidates) == (2, 1, ("C", "D", "E"))


def test_the_base_not_the_valid_ballots_decides() -> None:
    # 5 of 6 valid ballots, but the base is 11 delegates: 10 > 11 is false.
    ballots = ballots_for({"A": 5, "B": 1})
    assert tally(ballots, NAMES, seats=1, base=11).elected == ()
    assert tally(ballots, NAMES, seats=1, base=9).elected == ("A",)


def test_tie_at_the_last_seat() -> None:
    result = tally(ballots_for({"A": 9, "B": 8, "C": 7, "D": 7}), NAMES, seats=3, base=10)
    assert result.elected == ("A", "B")
    assert (result.tied, result.tied_seats, result.unfilled) == (("C", "D"), 1, 0)
    assert [c.elected for c in result.candidates] == [True, True, False, False, False]
    nxt = result.next_round
    assert nxt is not None
    assert (nxt.number, nxt.candidates, nxt.seats, nxt.reason) == (2, ("C", "D"), 1, "tie")
    assert not nxt.congress_decides


def test_tie_reading_off_gives_the_tied_seats_back_to_the_congress() -> None:
    rules = Rules(tie_round_among_tied_only=False)
    result = tally(ballots_for({"A": 9, "B": 8, "C": 7, "D": 7}), NAMES, 3, 10, STRIKE, rules)
    assert result.tied == ("C", "D")
    nxt = result.next_round
    assert nxt is not None and nxt.congress_decides
    assert (nxt.candidates, nxt.seats) == (("C", "D", "E"), 1)


def test_tie_spanning_two_seats_elects_none_of_the_tied() -> None:
    result = tally(ballots_for({"A": 9, "B": 7, "C": 7, "D": 7}), NAMES, seats=3, base=10)
    assert result.elected == ("A",)
    assert (result.tied, result.tied_seats) == (("B", "C", "D"), 2)


def test_equal_votes_inside_the_seats_are_all_elected_in_ballot_order() -> None:
    result = tally(ballots_for({"B": 8, "A": 8, "C": 7, "D": 6}), NAMES, seats=3, base=10)
    assert result.elected == ("A", "B", "C")
    assert result.tied == ()


def test_a_tie_below_the_threshold_is_no_tie() -> None:
    result = tally(ballots_for({"A": 9, "B": 5, "C": 5}), NAMES, seats=2, base=10)
    assert (result.elected, result.tied, result.unfilled) == (("A",), (), 1)


def test_select_orders_by_votes_then_ballot_order() -> None:
    chosen = select([6, 9, 6, 9, 1], seats=2, base=10)
    assert chosen.elected == (1, 3)
    assert select([6, 9, 6, 9, 1], seats=3, base=10).tied == (0, 2)


def test_rounds_keep_the_base_and_count_down_the_seats() -> None:
    first = Round.first(NAMES, seats=3, base=10)
    result = first.count(ballots_for({"A": 6, "B": 6, "C": 5, "D": 4}))
    assert result.elected == ("A", "B")
    second = first.next(result)
    assert second is not None
    assert (second.number, second.seats, second.base) == (2, 1, 10)
    assert second.candidates == ("C", "D", "E")
    assert second.already_elected == ("A", "B")
    kept_c = Ballot((1, 0, 0))
    again = second.count([kept_c] * 6 + [Ballot((1, 1, 0))])  # two names for one seat
    assert again.round_number == 2
    assert again.elected == ("C",)
    assert dict(again.invalid) == {InvalidReason.TOO_MANY: 1}
    assert second.next(again) is None


def test_the_congress_may_vote_its_own_list_for_the_next_round() -> None:
    first = Round.first(NAMES, seats=3, base=10)
    result = first.count(ballots_for({"A": 6, "B": 6}))
    second = first.next(result, candidates=["C", "D"])
    assert second is not None and second.candidates == ("C", "D") and second.seats == 1


def test_a_tie_goes_to_a_round_among_the_tied_only() -> None:
    first = Round.first(NAMES, seats=2, base=10)
    result = first.count(ballots_for({"A": 8, "B": 6, "C": 6}))
    second = first.next(result)
    assert second is not None
    assert (second.candidates, second.seats, second.already_elected) == (("B", "C"), 1, ("A",))
    # Same base in round 2: 5 of 10 is not more than half, so the seat stays open.
    again = second.count([Ballot((1, 0))] * 5 + [Ballot((0, 1))] * 4)
    assert (again.elected, again.unfilled) == ((), 1)
    third = second.next(again)
    assert third is not None and (third.number, third.seats, third.base) == (3, 1, 10)
    final = third.count([Ballot((0, 1))] * 7 + [Ballot((1, 0))] * 2)
    assert final.elected == ("C",) and third.next(final) is None
    with pytest.raises(CountingError) as info:
        second.next(again, candidates=["B", "A"])
    assert info.value.code == "already_elected"


# Ballot validity (244-QĐ/TW Điều 17.2); each [verify] reading is tested both ways.


def test_all_struck_both_readings() -> None:
    ballot = strike()
    assert classify(ballot, STRIKE, 3) == Invalid(InvalidReason.ALL_STRUCK)
    assert classify(ballot, STRIKE, 3, Rules(all_struck_invalid=False)) == Valid(())


def test_too_many_names_kept() -> None:
    assert classify(strike("A", "B", "C", "D"), STRIKE, 3) == Invalid(InvalidReason.TOO_MANY)
    assert classify(strike("A", "B", "C"), STRIKE, 3) == Valid((0, 1, 2))


def test_agree_ballot_some_rows_blank_or_both_stays_valid() -> None:
    # 190-QĐ/TW Điều 30.1: those rows count for nobody.
    ballots = [Ballot((1, BLANK, BOTH)), Ballot((1, 0, 1)), Ballot((BOTH, 1, BLANK))]
    result = tally(ballots, ["A", "B", "C"], seats=3, base=4, kind=AGREE)
    assert result.valid == 3
    assert [c.votes for c in result.candidates] == [2, 1, 1]
    assert result.elected == ()  # 2 × 2 = 4 is not more than 4


def test_agree_ballot_all_blank_or_both_both_readings() -> None:
    for marks in [(BLANK, BLANK, BLANK), (BOTH, BLANK, BOTH), (BOTH, BOTH, BOTH)]:
        ballot = Ballot(marks)
        assert classify(ballot, AGREE, 3) == Invalid(InvalidReason.AGREE_ALL_BLANK_OR_BOTH)
        off = Rules(agree_all_blank_or_both_invalid=False)
        assert classify(ballot, AGREE, 3, off) == Valid(())
    # Disagreeing with everyone is a valid choice.
    assert classify(Ballot((0, 0, 0)), AGREE, 3) == Valid(())


def test_agree_ballot_with_more_agrees_than_seats() -> None:
    assert classify(Ballot((1, 1, 1)), AGREE, 2) == Invalid(InvalidReason.TOO_MANY)


def test_single_candidate_ballot_both_readings() -> None:
    assert classify(Ballot((1,)), SINGLE, 1) == Valid((0,))
    assert classify(Ballot((0,)), SINGLE, 1) == Valid(())
    off = Rules(single_both_or_neither_invalid=False)
    for mark in (BLANK, BOTH):
        reason = InvalidReason.SINGLE_BOTH_OR_NEITHER
        assert classify(Ballot((mark,)), SINGLE, 1) == Invalid(reason)
        assert classify(Ballot((mark,)), SINGLE, 1, off) == Valid(())
    result = tally([Ballot((1,))] * 3 + [Ballot((BOTH,)), Ballot((0,))], ["A"], 1, 5, SINGLE)
    assert (result.valid, result.elected) == (4, ("A",))


def test_identifying_marks_both_readings() -> None:
    ballot = Ballot((1, 1, 0, 0, 0), InvalidReason.MARKED)
    assert classify(ballot, STRIKE, 3) == Invalid(InvalidReason.MARKED)
    assert classify(ballot, STRIKE, 3, Rules(marked_invalid=False)) == Valid((0, 1))


def test_a_marked_ballot_needs_its_marks_when_marks_are_allowed() -> None:
    ballot = Ballot((), InvalidReason.MARKED)
    assert classify(ballot, STRIKE, 3) == Invalid(InvalidReason.MARKED)
    with pytest.raises(CountingError) as info:
        classify(ballot, STRIKE, 3, Rules(marked_invalid=False))
    assert info.value.code == "no_marks"


def test_not_issued_is_always_invalid() -> None:
    ballot = Ballot((), InvalidReason.NOT_ISSUED)
    every_reading_off = Rules(**{f.name: False for f in dataclasses.fields(Rules)})
    assert classify(ballot, STRIKE, 3, every_reading_off) == Invalid(InvalidReason.NOT_ISSUED)
    result = tally([ballot, strike("A")], NAMES, seats=3, base=10)
    assert (result.ballots_collected, result.valid) == (2, 1)


def test_every_reading_to_verify_is_a_setting_with_its_source() -> None:
    names = {f.name for f in dataclasses.fields(Rules)}
    assert names == set(Rules.CITATIONS)
    for citation in Rules.CITATIONS.values():
        assert citation.status == "verify"
        assert citation.regulation == "244-QĐ/TW" and citation.article.startswith("Điều")
    assert all(f.default is True for f in dataclasses.fields(Rules))


def test_computed_reasons_cannot_be_given_by_the_board() -> None:
    with pytest.raises(CountingError) as info:
        Ballot((1, 0), InvalidReason.TOO_MANY)
    assert info.value.code == "not_a_board_reason"


@pytest.mark.parametrize(
    ("ballots", "candidates", "seats", "base", "kind", "code"),
    [
        ([Ballot((1, 0))], ["A", "A"], 1, 3, STRIKE, "duplicate_candidate"),
        ([Ballot((1, 0))], ["Hòa", nfd("Hòa")], 1, 3, STRIKE, "duplicate_candidate"),
        ([Ballot((1, 0))], [], 1, 3, STRIKE, "no_candidates"),
        ([Ballot((1, 0))], ["A", " "], 1, 3, STRIKE, "empty_name"),
        ([Ballot((1, 0, 0))], ["A", "B"], 1, 3, STRIKE, "wrong_length"),
        ([Ballot(())], ["A", "B"], 1, 3, STRIKE, "wrong_length"),
        ([Ballot((1, BLANK))], ["A", "B"], 1, 3, STRIKE, "bad_mark"),
        ([Ballot((1, 0))], ["A", "B"], 0, 3, STRIKE, "bad_seats"),
        ([Ballot((1, 0))], ["A", "B"], 1, 0, STRIKE, "bad_base"),
        ([Ballot((1, 0))], ["A", "B"], 1, 3, SINGLE, "single_needs_one"),
    ],
)
def test_input_the_engine_refuses(ballots, candidates, seats, base, kind, code) -> None:
    with pytest.raises(CountingError) as info:
        tally(ballots, candidates, seats, base, kind)
    assert info.value.code == code
    assert info.value.message


def test_names_are_compared_in_nfc() -> None:
    result = tally([Ballot((1, 0))], [nfd("Nguyễn Văn Hòa"), "Lê  Thị An"], 1, 1)
    assert [c.name for c in result.candidates] == ["Nguyễn Văn Hòa", "Lê Thị An"]


def test_percent_of_the_base_is_exact_and_rounded_half_up() -> None:
    result = tally([Ballot((1,))] * 136, ["A"], seats=1, base=137)
    (a,) = result.candidates
    assert a.percent_of_base == Fraction(13600, 137)
    assert (a.percent_text, a.percent_rounded) == ("99,27%", Decimal("99.27"))
    (b,) = tally([Ballot((1,))], ["B"], seats=1, base=32).candidates  # 3.125 %
    assert (b.percent_text, b.percent_rounded) == ("3,13%", Decimal("3.13"))


def test_counts_given_as_a_mapping_of_identical_ballots() -> None:
    grouped = {strike("A"): 6, strike("B"): 3, strike(): 1}
    flat = ballots_for({"A": 6, "B": 3}) + [strike()]
    assert tally(grouped, NAMES, 2, 10) == tally(flat, NAMES, 2, 10)


def test_checks_of_the_minutes() -> None:
    result = tally(ballots_for({"A": 6}), NAMES, seats=1, base=10, issued=5)
    assert [(p.code, p.level) for p in result.problems] == [("collected_exceeds_issued", "error")]
    assert tally(ballots_for({"A": 6}), NAMES, 1, 10, issued=6).problems == ()
    typed = check_counts(collected=10, valid=7, invalid=2, votes={"A": 8, "B": 7}, issued=12)
    assert [p.code for p in typed] == ["valid_plus_invalid_not_collected", "votes_exceed_valid"]
    assert "A được 8 phiếu" in typed[1].message


def test_ballot_order_is_given_name_then_family_name() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", nfd("Đỗ Thị Dung"), "Phạm Văn Dũng"]
    assert ballot_order(names) == (
        "Lê Văn An",
        "Nguyễn Thị An",
        "Trần Văn Bình",
        "Đỗ Thị Dung",
        "Phạm Văn Dũng",
    )
