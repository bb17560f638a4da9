"""Set-up, double blind entry, counting and the seal, with the database (domain.md §5–6)."""

from __future__ import annotations

import pytest
from django.db import connection

from daihoi.audit.services import verify
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.elections.models import BallotEntry, ElectionRound, RoundStatus
from daihoi.elections.services import setup
from daihoi.elections.services.counting import (
    WarningsToAcknowledge,
    count_round,
    seal_round,
    verify_seal,
)
from daihoi.elections.services.entry import (
    discard_sheet,
    enter_ballot,
    entry_state,
    parse_struck,
)
from tests.delegates.test_base import make
from tests.elections.conftest import election_hall
from tests.factories import make_user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(congress, staff):
    """10 official delegates present (base 10), two of them on the counting board."""
    hall = election_hall(congress, staff, board_size=2)
    return hall.election, hall.board


def type_both(round_, board, sheet, marks, reason=""):
    enter_ballot(board[0], round_, sheet, marks, board_reason=reason)
    enter_ballot(board[1], round_, sheet, marks, board_reason=reason)


def test_ballot_order_and_surplus_checks(hall, staff):
    election, _board = hall
    assert [c.full_name for c in setup.ballot_list(election)] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]  # fmt: skip  (given names An, Bình, Cường, Dung)
    assert setup.surplus_checks(election) == []  # 3 seats + 1: small bodies may have one extra
    setup.add_candidate(staff, election, "Hoàng Văn Em")
    assert [p.code for p in setup.surplus_checks(election)] == ["small_body_surplus"]
    with pytest.raises(InvalidInput):
        setup.open_first_round(staff, election)


def test_floor_nomination_needs_its_approval(hall, staff):
    election, _board = hall
    with pytest.raises(InvalidInput) as caught:
        setup.add_candidate(staff, election, "Đề Cử Tại Chỗ", from_floor=True)
    assert caught.value.code == "floor_approval_required"


def test_a_candidate_cannot_sit_on_the_counting_board(congress, staff, hall):
    election, _board = hall
    delegate = make(congress, "Trần Thị Bình")
    with pytest.raises(InvalidInput):
        setup.appoint_counting_board_member(
            staff, congress, delegate, make_user_with_role(Role.DELEGATE), approval="10/10"
        )


def test_double_entry_count_and_seal(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election, ballots_issued=10)
    assert round_.base == 10
    # Ten ballots: An and Bình kept by all, Cường by 6, Dung by 4 (one name struck each).
    for sheet in range(1, 11):
        struck = "4" if sheet <= 6 else "3"
        type_both(round_, board, sheet, parse_struck(struck, 4))
    with pytest.raises(NotAllowed):
        count_round(staff, round_)
    result = count_round(board[0], round_)
    assert [c["votes"] for c in result["candidates"]] == [10, 10, 6, 4]
    assert result["elected"] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert result["candidates"][2]["percent"] == "60,00%"
    seal = seal_round(board[1], round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SEALED and round_.seal == seal and len(seal) == 64
    assert verify_seal(round_).ok
    with pytest.raises(InvalidInput):
        enter_ballot(board[0], round_, 11, "1110")


def test_one_member_cannot_type_both_and_differences_are_retyped(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    enter_ballot(board[0], round_, 1, "1110")
    with pytest.raises(InvalidInput) as caught:
        enter_ballot(board[0], round_, 1, "1110")
    assert caught.value.code == "same_member"
    enter_ballot(board[1], round_, 1, "1101")  # typed differently
    state = entry_state(round_)
    assert [sheet for sheet, _a, _b in state.differences] == [1]
    with pytest.raises(InvalidInput) as caught:
        count_round(board[0], round_)
    assert caught.value.code == "differences"
    # Never settled by choosing one: both typings are set aside and the sheet typed again.
    assert discard_sheet(board[0], round_, 1, "Hai lần nhập khác nhau") == 2
    type_both(round_, board, 1, "1110")
    assert BallotEntry.objects.filter(round=round_, sheet=1).count() == 4
    assert list(entry_state(round_).agreed) == [1]


def test_invalid_ballots_and_board_reasons(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    type_both(round_, board, 1, "1111")  # four kept for three seats: too many
    type_both(round_, board, 2, "0000")  # every name struck
    type_both(round_, board, 3, "", reason="not_issued")  # no stamp
    for sheet in range(4, 11):
        type_both(round_, board, sheet, "1110")
    # 3 invalid of 10 is above 3 %: a warning the board must acknowledge before the count.
    with pytest.raises(WarningsToAcknowledge) as caught:
        count_round(board[0], round_)
    assert [code for code, _message in caught.value.warnings] == ["invalid_over_3_percent"]
    assert round_.entries.exists() and ElectionRound.objects.get(pk=round_.pk).result is None
    result = count_round(board[0], round_, ["invalid_over_3_percent"])
    assert result["invalid"] == {"not_issued": 1, "too_many": 1, "all_struck": 1}
    assert (result["valid"], result["collected"]) == (7, 10)
    # 7 votes of a base of 10 is more than half: An, Bình, Cường elected.
    assert result["elected"] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def test_tie_at_the_last_seat_opens_a_round_among_the_tied(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    for sheet in range(1, 13):  # An, Bình on all 12; Cường and Dung 6 each: 2 × 6 > 10
        type_both(round_, board, sheet, "1110" if sheet % 2 else "1101")
    result = count_round(board[0], round_)
    assert result["tied"] == ["Lê Văn Cường", "Phạm Thị Dung"]
    assert result["next_round"]["candidates"] == ["Lê Văn Cường", "Phạm Thị Dung"]
    seal_round(board[0], round_)
    second = setup.open_next_round(staff, round_)
    assert (second.number, second.seats, second.base) == (2, 1, round_.base)
    assert len(second.candidate_ids) == 2


def test_tampering_after_the_seal_is_found(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    for sheet in range(1, 11):
        type_both(round_, board, sheet, "1110")
    count_round(board[0], round_)
    seal_round(board[0], round_)
    # Through the ORM: one ballot's marks changed.
    entry = BallotEntry.objects.filter(round=round_, sheet=5).first()
    BallotEntry.objects.filter(pk=entry.pk).update(marks="1101")
    assert not verify_seal(round_).ok
    BallotEntry.objects.filter(pk=entry.pk).update(marks="1110")
    assert verify_seal(ElectionRound.objects.get(pk=round_.pk)).ok
    # By SQL: the stored result rewritten, the seal recomputed to match; the chain still knows.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE elections_electionround SET seal = %s WHERE id = %s", ["0" * 64, round_.pk]
        )
    assert not verify_seal(ElectionRound.objects.get(pk=round_.pk)).ok
    assert verify().ok  # the audit chain itself is untouched; the seal check caught it


def test_audit_verify_command_finds_a_changed_sealed_result(hall, staff):
    from io import StringIO

    from django.core.management import call_command

    election, board = hall
    round_ = setup.open_first_round(staff, election)
    for sheet in range(1, 11):
        type_both(round_, board, sheet, "1110")
    count_round(board[0], round_)
    seal_round(board[0], round_)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("Chuỗi nhật ký toàn vẹn")
    # Someone un-seals the round by SQL and rewrites a ballot: the command names the election.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE elections_electionround SET status = 'counted' WHERE id = %s", [round_.pk]
        )
    err = StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert stopped.value.code == 1
    assert "Bầu Ban Thường vụ" in err.getvalue()


def test_only_a_differing_sheet_is_retyped_and_with_a_note(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    type_both(round_, board, 1, "1110")
    with pytest.raises(InvalidInput) as caught:
        discard_sheet(board[0], round_, 1, "Nhập lại")
    assert caught.value.code == "not_different"
    enter_ballot(board[0], round_, 2, "1110")
    enter_ballot(board[1], round_, 2, "0111")
    with pytest.raises(InvalidInput) as caught:
        discard_sheet(board[0], round_, 2, "  ")
    assert caught.value.code == "note_required"
