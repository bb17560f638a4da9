"""Batch entry from a typing station: the rules of enter_ballot for a whole stack of sheets, one
audit record per batch, and the same count as sheet-by-sheet entry."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction

from daihoi.audit.models import AuditEntry
from daihoi.audit.services import verify
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.elections.models import BallotEntry, ElectedBody
from daihoi.elections.services import setup
from daihoi.elections.services.batch import _insert, batch_digest, enter_batch
from daihoi.elections.services.counting import count_round, seal_round, verify_seal
from daihoi.elections.services.entry import enter_ballot, entry_state, sheet_rows
from tests.delegates.test_base import make
from tests.elections.conftest import NAMES
from tests.elections.test_entry_and_seal import hall  # noqa: F401  (pytest fixture)
from tests.factories import make_user_with_role

pytestmark = pytest.mark.django_db
# These rounds hold many invalid ballots on purpose: the board has looked at them.
ACKNOWLEDGED = ["invalid_over_3_percent"]

# Ten sheets: too many, all struck, one set aside by the board, seven valid.
SHEETS = [(1, "1111", ""), (2, "0000", ""), (3, "", "not_issued")] + [
    (sheet, "1110" if sheet % 2 else "1101", "") for sheet in range(4, 11)
]


def code_of(call) -> str:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.code


def test_a_batch_counts_as_sheet_by_sheet_entry(hall, staff):  # noqa: F811
    election, board = hall
    by_sheet = setup.open_first_round(staff, election)
    for sheet, marks, reason in SHEETS:
        enter_ballot(board[0], by_sheet, sheet, marks, board_reason=reason)
        enter_ballot(board[1], by_sheet, sheet, marks, board_reason=reason)
    expected = count_round(board[0], by_sheet, ACKNOWLEDGED)

    twin = setup.create_election(
        staff, election.congress, body=ElectedBody.EXECUTIVE_COMMITTEE, title="Bầu lại", seats=3
    )
    for name in NAMES:
        setup.add_candidate(staff, twin, name)
    batched = setup.open_first_round(staff, twin)
    assert enter_batch(board[1], batched, 2, SHEETS[:5]) == 5  # typing 2 may come first
    assert enter_batch(board[0], batched, 1, SHEETS) == 10
    assert enter_batch(board[1], batched, 2, SHEETS[5:]) == 5
    assert count_round(board[0], batched, ACKNOWLEDGED) == expected
    assert expected["invalid"] == {"not_issued": 1, "too_many": 1, "all_struck": 1}
    seal_round(board[1], batched)
    batched.refresh_from_db()
    assert verify_seal(batched).ok


def test_one_audit_record_per_batch_with_the_rows_hash(hall, staff):  # noqa: F811
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    before = AuditEntry.objects.count()
    enter_batch(board[0], round_, 1, SHEETS)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "election.ballots_batch_entered"
    data = json.loads(entry.data)
    assert data["sheets"] == 10 and data["typing"] == 1
    assert data["sha256"] == batch_digest(SHEETS) == batch_digest(reversed(SHEETS))
    assert batch_digest(SHEETS) != batch_digest([(1, "1110", ""), *SHEETS[1:]])
    assert BallotEntry.objects.filter(round=round_, typing=1).count() == 10
    assert verify().ok


def test_only_the_counting_board_enters(hall, staff):  # noqa: F811
    election, _board = hall
    round_ = setup.open_first_round(staff, election)
    with pytest.raises(NotAllowed):
        enter_batch(staff, round_, 1, SHEETS)
    assert not BallotEntry.objects.exists()


def test_one_member_never_types_both_typings(hall, staff):  # noqa: F811
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    enter_batch(board[0], round_, 1, SHEETS[:3])
    assert code_of(lambda: enter_batch(board[0], round_, 2, SHEETS)) == "same_member"
    assert code_of(lambda: enter_batch(board[1], round_, 1, SHEETS)) == "typing_taken"
    # The whole batch is refused: sheets 4–10 were not stored either.
    assert BallotEntry.objects.filter(round=round_).count() == 3


def test_no_third_typing(hall, staff):  # noqa: F811
    election, board = hall
    third = make_user_with_role(Role.DELEGATE)
    setup.appoint_counting_board_member(
        staff, election.congress, make(election.congress, "Đại biểu Ba"), third, approval="10/10"
    )
    round_ = setup.open_first_round(staff, election)
    enter_batch(board[0], round_, 1, SHEETS)
    enter_batch(board[1], round_, 2, SHEETS)
    assert code_of(lambda: enter_batch(third, round_, 1, SHEETS[:1])) == "complete"
    assert code_of(lambda: enter_ballot(third, round_, 1, "1111")) == "complete"


def test_each_sheet_is_checked_like_a_single_entry(hall, staff):  # noqa: F811
    election, board = hall
    round_ = setup.open_first_round(staff, election, ballots_issued=10)
    cases = {
        "wrong_length": [(1, "111", "")],
        "bad_sheet": [(11, "1110", "")],
        "duplicate_sheet": [(1, "1110", ""), (1, "1110", "")],
        "bad_reason": [(1, "", "too_many")],
        "bad_typing": None,
        "empty": [],
    }
    for code, rows in cases.items():
        typing = 3 if rows is None else 1
        assert code_of(lambda rows=rows, typing=typing: enter_batch(
            board[0], round_, typing, rows or [])) == code  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        enter_batch(board[0], round_, 1, [(1, "1110", ""), (2, "11x0", "")])
    assert "Tờ số 2" in caught.value.message
    assert not BallotEntry.objects.exists()


def test_a_counted_round_takes_no_batch(hall, staff):  # noqa: F811
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    enter_batch(board[0], round_, 1, SHEETS)
    enter_batch(board[1], round_, 2, SHEETS)
    count_round(board[0], round_, ACKNOWLEDGED)
    assert code_of(lambda: enter_batch(board[0], round_, 1, [(11, "1110", "")])) == "closed"


def test_single_entry_takes_the_free_typing_after_a_batch(hall, staff):  # noqa: F811
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    enter_batch(board[1], round_, 2, [(1, "1110", "")])
    entry = enter_ballot(board[0], round_, 1, "1110")
    assert entry.typing == 1
    assert list(entry_state(round_).agreed) == [1]


def test_a_typing_stored_meanwhile_is_a_database_error(hall, staff):  # noqa: F811
    """What enter_batch turns into code "race": the unique typing, on SQLite and PostgreSQL."""
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    enter_batch(board[0], round_, 1, SHEETS[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(round_, 1, board[1], SHEETS[:1])
    assert BallotEntry.objects.filter(round=round_).count() == 1


def test_sheet_rows_group_as_entry_state(hall, staff):  # noqa: F811
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    enter_batch(board[0], round_, 1, SHEETS)
    enter_batch(board[1], round_, 2, [(1, "1111", ""), (2, "0001", ""), (5, "1101", "")])
    state, rows = entry_state(round_), sheet_rows(round_)
    assert (rows.waiting, rows.differences) == (len(state.waiting), len(state.differences)) == (
        7, 2,
    )  # fmt: skip
    assert rows.agreed == [(s, e.marks, e.board_reason) for s, e in state.agreed.items()]
    assert [sheet for sheet, _m, _r in rows.agreed] == [1]
