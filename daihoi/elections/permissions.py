"""Who may do what in elections. Organising staff set elections up; only counting-board members
of the congress (two-factor sign-in, enforced by the middleware) enter, count and seal."""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import has_role, is_organising_staff, is_system_admin


@rules.predicate
def is_on_counting_board(user, congress=None) -> bool:
    if not (user and user.is_authenticated and user.has_role(Role.COUNTING_BOARD)):
        return False
    seats = user.counting_board_seats.all()
    if congress is not None:
        seats = seats.filter(congress=congress)
    return seats.exists()


can_set_up_elections = is_system_admin | is_organising_staff
can_view_elections = can_set_up_elections | has_role(
    Role.COUNTING_BOARD, Role.PRESIDIUM, Role.SECRETARIAT, Role.SUBCOMMITTEE_STANDING
)

rules.add_perm("elections.set_up", can_set_up_elections)
rules.add_perm("elections.view", can_view_elections)
rules.add_perm("elections.count", is_on_counting_board)
