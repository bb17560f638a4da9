"""Totals from a hand-count tally sheet: the engine gives what counting the ballots gives, the
double blind entry of the totals, one mode per round, the count, the seal, and the screens."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.elections.counting import (
    Ballot,
    CountingError,
    Invalid,
    allowed_marks,
    classify,
    tally,
    tally_totals,
)
from daihoi.elections.models import ElectedBody, ElectionRound, RoundStatus, TotalsEntry
from daihoi.elections.rules import BOARD_REASONS, BallotKind, InvalidReason, Rules
from daihoi.elections.services import setup
from daihoi.elections.services.counting import WarningsToAcknowledge, seal_round, verify_seal
from daihoi.elections.services.entry import enter_ballot
from daihoi.elections.services.seals import sealed_round_problems
from daihoi.elections.services.totals import (
    count_totals,
    discard_totals,
    enter_totals,
    totals_state,
)
from tests.elections.conftest import NAMES, election_hall
from tests.factories import make_user_with_role, sign_in

# --- The engine ------------------------------------------------------------------------------


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
        "issued": draw(st.one_of(st.none(), st.integers(0, 45))),
        "round_number": draw(st.integers(1, 3)),
    }


def hand_count(election: dict) -> dict:
    """What a board counting by hand writes on its tally sheet."""
    invalid: Counter[InvalidReason] = Counter()
    votes = [0] * len(election["candidates"])
    for ballot in election["ballots"]:
        outcome = classify(ballot, election["kind"], election["seats"], election["rules"])
        if isinstance(outcome, Invalid):
            invalid[outcome.reason] += 1
        else:
            for i in outcome.votes:
                votes[i] += 1
    return {"collected": len(election["ballots"]), "invalid": invalid, "votes": votes}


@settings(max_examples=300, deadline=None)
@given(elections())
def test_totals_count_as_the_ballots_do(election: dict) -> None:
    expected = tally(**election)
    others = {k: v for k, v in election.items() if k != "ballots"}
    assert tally_totals(**others, **hand_count(election)) == expected


def test_totals_no_ballots_could_give_are_errors():
    def codes(**numbers):
        result = tally_totals(NAMES, 3, 10, **numbers)
        return [(p.code, p.level) for p in result.problems]

    assert codes(collected=10, invalid={}, votes=[10, 10, 10, 0]) == []
    # Four ballots cannot give 13 votes when each gives at most three.
    assert codes(collected=4, invalid={}, votes=[4, 4, 4, 1]) == [
        ("votes_exceed_valid_times_seats", "error")
    ]
    assert codes(collected=10, invalid={"too_many": 2}, votes=[9, 0, 0, 0]) == [
        ("votes_exceed_valid", "error")
    ]
    assert ("invalid_exceeds_collected", "error") in codes(
        collected=1, invalid={InvalidReason.NOT_ISSUED: 2}, votes=[0, 0, 0, 0]
    )
    result = tally_totals(NAMES, 3, 10, collected=9, invalid={}, votes=[9] * 3 + [0], issued=8)
    assert [p.code for p in result.problems] == ["collected_exceeds_issued"]
    for bad, code in [
        ({"votes": [1, 2, 3]}, "wrong_length"),
        ({"votes": [1, 2, 3, -1]}, "negative_count"),
        ({"invalid": {"lost": 1}}, "bad_reason"),
    ]:
        numbers = {"collected": 5, "invalid": {}, "votes": [0, 0, 0, 0], **bad}
        with pytest.raises(CountingError) as caught:
            tally_totals(NAMES, 3, 10, **numbers)
        assert caught.value.code == code


# --- The service -----------------------------------------------------------------------------


@pytest.fixture
def hall(db, congress, staff):
    """10 official delegates present (base 10), three of them on the counting board, and an
    election of 3 from 4 names (strike ballot)."""
    hall = election_hall(congress, staff, board_size=3)
    return hall.election, hall.board


@pytest.fixture
def round1(hall, staff):
    election, board = hall
    return setup.open_first_round(staff, election, ballots_issued=10), board


# Ten ballots counted by hand: An and Bình kept on all, Cường on 6, Dung on 4.
SHEET = {"collected": 10, "invalid": {}, "votes": [10, 10, 6, 4]}


def type_both(round_, board, **numbers):
    numbers = {**SHEET, **numbers}
    enter_totals(board[0], round_, **numbers)
    enter_totals(board[1], round_, **numbers)


def refused(code, call, *args, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code


def test_two_members_type_the_totals_and_count(round1, staff):
    round_, board = round1
    assert totals_state(round_).status == "empty"
    enter_totals(board[0], round_, **SHEET, note="Biên bản kiểm phiếu số 1")
    assert totals_state(round_).status == "waiting"
    refused("same_member", enter_totals, board[0], round_, **SHEET)
    refused("waiting", count_totals, board[0], round_)
    enter_totals(board[1], round_, **SHEET)
    refused("complete", enter_totals, board[2], round_, **SHEET)  # no third typing
    assert totals_state(round_).status == "agreed"
    assert sorted(TotalsEntry.objects.values_list("typing", flat=True)) == [1, 2]
    with pytest.raises(NotAllowed):
        count_totals(staff, round_)
    with pytest.raises(NotAllowed):
        enter_totals(staff, round_, **SHEET)
    result = count_totals(board[2], round_)
    assert [c["votes"] for c in result["candidates"]] == [10, 10, 6, 4]
    assert result["elected"] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert (result["valid"], result["collected"], result["issued"]) == (10, 10, 10)
    assert result["candidates"][2]["percent"] == "60,00%"
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COUNTED and round_.result == result
    refused("closed", enter_totals, board[2], round_, **SHEET)
    refused("counted", count_totals, board[0], round_)


def test_differences_are_discarded_and_typed_again(round1):
    round_, board = round1
    enter_totals(board[0], round_, **SHEET)
    enter_totals(board[1], round_, **{**SHEET, "votes": [10, 10, 4, 6]})
    assert totals_state(round_).status == "differing"
    refused("differences", count_totals, board[0], round_)
    refused("complete", enter_totals, board[2], round_, **SHEET)  # never a third to decide
    refused("note_required", discard_totals, board[0], round_, "  ")
    assert discard_totals(board[0], round_, "Hai lần nhập khác nhau ở Cường và Dung") == 2
    assert totals_state(round_).status == "empty"
    enter_totals(board[1], round_, **SHEET)  # typed again from the paper, by any two members
    enter_totals(board[2], round_, **SHEET)
    refused("not_different", discard_totals, board[0], round_, "Nhập lại")
    assert TotalsEntry.objects.filter(round=round_).count() == 4  # the history is kept
    assert count_totals(board[0], round_)["elected"] == [
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường",
    ]  # fmt: skip


def test_invalid_and_zero_reasons_compare_equal(round1):
    round_, board = round1
    enter_totals(board[0], round_, collected=10, invalid={"too_many": 1, "marked": 0},
                 votes=[9, 9, 5, 4])  # fmt: skip
    enter_totals(board[1], round_, collected=10, invalid={"too_many": 1}, votes=[9, 9, 5, 4])
    assert totals_state(round_).status == "agreed"
    # 1 invalid of 10 is above 3 %: the board acknowledges the warning, as for ballots.
    with pytest.raises(WarningsToAcknowledge) as caught:
        count_totals(board[0], round_)
    assert [code for code, _m in caught.value.warnings] == ["invalid_over_3_percent"]
    result = count_totals(board[0], round_, ["invalid_over_3_percent"])
    assert result["invalid"] == {"too_many": 1} and result["valid"] == 9


def test_totals_that_cannot_be_counted_are_refused_at_entry(round1):
    round_, board = round1
    refused("collected_exceeds_issued", enter_totals, board[0], round_,
            **{**SHEET, "collected": 11})  # fmt: skip
    refused("votes_exceed_valid", enter_totals, board[0], round_,
            **{**SHEET, "votes": [11, 0, 0, 0]})  # fmt: skip
    refused("votes_exceed_valid_times_seats", enter_totals, board[0], round_,
            **{**SHEET, "votes": [10, 10, 10, 1]})  # fmt: skip
    refused("invalid_exceeds_collected", enter_totals, board[0], round_,
            **{**SHEET, "collected": 1, "invalid": {"not_issued": 2}})  # fmt: skip
    refused("wrong_length", enter_totals, board[0], round_, **{**SHEET, "votes": [1, 2]})
    refused("negative_count", enter_totals, board[0], round_, **{**SHEET, "collected": -1})
    # A reason no strike ballot can have.
    refused("bad_reason", enter_totals, board[0], round_,
            **{**SHEET, "invalid": {"single_both_or_neither": 1}})  # fmt: skip
    assert not TotalsEntry.objects.exists()


def test_a_round_uses_one_mode(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    enter_ballot(board[0], round_, 1, "1110")
    refused("ballot_mode", enter_totals, board[1], round_, **SHEET)
    other = setup.create_election(
        staff, election.congress, body=ElectedBody.INSPECTION_COMMITTEE, title="Bầu UBKT", seats=3
    )
    for name in NAMES:
        setup.add_candidate(staff, other, name)
    totals_round = setup.open_first_round(staff, other)
    enter_totals(board[0], totals_round, **SHEET)
    refused("totals_mode", enter_ballot, board[1], totals_round, 1, "1110")


def test_seal_of_a_totals_round_and_tampering_found(round1):
    round_, board = round1
    type_both(round_, board)
    count_totals(board[0], round_)
    seal = seal_round(board[1], round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SEALED and round_.seal == seal
    assert verify_seal(round_).ok
    assert sealed_round_problems() == []
    first, second = TotalsEntry.objects.filter(round=round_).order_by("typing")
    # One typing changed: the two no longer agree.
    TotalsEntry.objects.filter(pk=first.pk).update(votes=[10, 10, 4, 6])
    assert not verify_seal(ElectionRound.objects.get(pk=round_.pk)).ok
    # Both changed alike: they agree again, but not with the seal.
    TotalsEntry.objects.filter(pk=second.pk).update(votes=[10, 10, 4, 6])
    assert not verify_seal(ElectionRound.objects.get(pk=round_.pk)).ok
    assert len(sealed_round_problems()) == 1
    TotalsEntry.objects.filter(round=round_).update(votes=[10, 10, 6, 4])
    assert verify_seal(ElectionRound.objects.get(pk=round_.pk)).ok
    # The agreed typings set aside after the seal.
    TotalsEntry.objects.filter(round=round_).update(discarded_at=timezone.now())
    assert not verify_seal(ElectionRound.objects.get(pk=round_.pk)).ok


# --- The screens -----------------------------------------------------------------------------


def totals_url(round_) -> str:
    return reverse("elections:entry_totals", args=[round_.pk])


def round_url(round_) -> str:
    return reverse("elections:round", args=[round_.pk])


def post_totals(client, round_, votes=(10, 10, 6, 4), collected=10, **invalid):
    data = {"collected": collected, "note": ""}
    data.update({f"votes_{i}": n for i, n in enumerate(votes, start=1)})
    data.update({f"invalid_{reason}": n for reason, n in invalid.items()})
    return client.post(totals_url(round_), data)


def test_board_types_totals_twice_blind_and_counts(client, round1):
    round_, board = round1
    sign_in(client, board[0])
    page = client.get(round_url(round_))
    assert totals_url(round_) in page.text  # next to the ballot entry link
    form = client.get(totals_url(round_))
    assert form.status_code == 200
    assert "Phiếu không do Ban kiểm phiếu phát ra" in form.text  # a reason's label
    assert "1. Nguyễn Văn An" in form.text and 'name="votes_4"' in form.text
    assert 'name="invalid_single_both_or_neither"' not in form.text  # not for a strike ballot
    saved = post_totals(client, round_, votes=(10, 10, 7, 3))
    assert saved.status_code == 302 and saved.url == totals_url(round_)
    again = client.get(totals_url(round_))
    assert 'value="7"' not in again.text and 'value="10"' not in again.text  # empty form
    assert 'data-totals-status="waiting"' in again.text
    refused = post_totals(client, round_)
    assert refused.status_code == 200 and "thành viên khác" in refused.text
    assert TotalsEntry.objects.count() == 1

    sign_in(client, board[1])
    post_totals(client, round_)  # a difference: Cường 6 here, 7 in the first typing
    page = client.get(round_url(round_))
    assert 'data-totals-status="differing"' in page.text
    assert reverse("elections:discard_totals", args=[round_.pk]) in page.text
    assert reverse("elections:entry", args=[round_.pk]) not in page.text  # totals mode only
    client.post(reverse("elections:discard_totals", args=[round_.pk]), {"note": ""})
    assert TotalsEntry.objects.filter(discarded_at__isnull=True).count() == 2  # note required
    client.post(reverse("elections:discard_totals", args=[round_.pk]), {"note": "Khác ở Cường"})
    assert TotalsEntry.objects.filter(discarded_at__isnull=True).count() == 0

    post_totals(client, round_)
    sign_in(client, board[0])
    post_totals(client, round_)
    page = client.get(round_url(round_))
    assert 'data-totals-status="agreed"' in page.text
    client.post(reverse("elections:count_totals", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COUNTED
    assert round_.result["elected"] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    page = client.get(round_url(round_))
    assert page.text.count('class="elected"') == 3
    closed = post_totals(client, round_)
    assert closed.status_code == 302 and TotalsEntry.objects.count() == 4
    client.post(reverse("elections:seal", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SEALED
    assert 'data-seal-ok="1"' in client.get(round_url(round_)).text
    docx = client.get(reverse("elections:minutes_docx", args=[round_.pk]))
    assert docx.status_code == 200
    assert reverse("elections:ballots_csv", args=[round_.pk]) not in page.text  # no ballots


def test_a_ballot_round_offers_no_totals_entry(client, round1):
    round_, board = round1
    enter_ballot(board[0], round_, 1, "1110")
    sign_in(client, board[1])
    page = client.get(round_url(round_))
    assert reverse("elections:entry", args=[round_.pk]) in page.text
    assert totals_url(round_) not in page.text
    refused = post_totals(client, round_)
    assert refused.status_code == 200 and "đã nhập từng tờ phiếu" in refused.text
    assert not TotalsEntry.objects.exists()


def test_totals_count_needs_the_acknowledgement(client, round1):
    round_, board = round1
    for member in board[:2]:
        sign_in(client, member)
        post_totals(client, round_, votes=(9, 9, 5, 4), too_many=1)
    client.post(reverse("elections:count_totals", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.ENTRY
    page = client.get(round_url(round_))
    assert 'name="acknowledge" value="invalid_over_3_percent"' in page.text
    assert reverse("elections:count_totals", args=[round_.pk]) in page.text
    client.post(
        reverse("elections:count_totals", args=[round_.pk]),
        {"acknowledge": "invalid_over_3_percent"},
    )
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COUNTED and round_.result["invalid"] == {"too_many": 1}


def test_errors_of_the_minutes_are_shown_on_the_form(client, round1):
    round_, board = round1
    sign_in(client, board[0])
    too_many = post_totals(client, round_, collected=11)
    assert too_many.status_code == 200 and "lớn hơn số phiếu phát ra" in too_many.text
    assert not TotalsEntry.objects.exists()


def test_staff_and_outsiders_get_403(client, round1, staff, unit):
    round_, _board = round1
    for user in (staff, make_user_with_role(Role.UNIT_LIAISON, unit=unit)):
        sign_in(client, user)
        assert client.get(totals_url(round_)).status_code == 403
        assert post_totals(client, round_).status_code == 403
        count = client.post(reverse("elections:count_totals", args=[round_.pk]))
        assert count.status_code == 403
        discard = client.post(reverse("elections:discard_totals", args=[round_.pk]), {"note": "x"})
        assert discard.status_code == 403
    assert not TotalsEntry.objects.exists()
    sign_in(client, staff)
    assert totals_url(round_) not in client.get(round_url(round_)).text
