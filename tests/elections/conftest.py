"""Election tests reuse the delegates' fixtures (a current congress and an organiser) and build
the usual hall with `election_hall`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from daihoi.core.models import Role
from daihoi.delegates.models import Attendance, Delegate, Session
from daihoi.elections.models import ElectedBody, Election
from daihoi.elections.services import setup
from tests.delegates.conftest import congress, staff  # noqa: F401  (pytest fixtures)
from tests.delegates.test_base import make
from tests.factories import make_user_with_role

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]


@dataclass
class Hall:
    election: Election
    board: list
    delegates: list[Delegate]


def election_hall(congress, staff, board_size: int) -> Hall:  # noqa: F811
    """10 official delegates present (base 10), the first `board_size` of them on the counting
    board, and an election of 3 from the 4 NAMES (strike ballot)."""
    session = Session.objects.create(
        congress=congress, name="Phiên bầu cử", kind="official", starts_at=timezone.now()
    )
    delegates = [make(congress, f"Đại biểu {i}") for i in range(10)]
    for d in delegates:
        Attendance.objects.create(delegate=d, session=session, present_at=timezone.now())
    election = setup.create_election(
        staff, congress, body=ElectedBody.STANDING_BOARD, title="Bầu Ban Thường vụ", seats=3
    )
    for name in NAMES:
        setup.add_candidate(staff, election, name)
    board = []
    for delegate in delegates[:board_size]:
        user = make_user_with_role(Role.DELEGATE)
        setup.appoint_counting_board_member(
            staff, congress, delegate, user, approval="Đại hội biểu quyết 10/10 tán thành"
        )
        board.append(user)
    return Hall(election, board, delegates)
