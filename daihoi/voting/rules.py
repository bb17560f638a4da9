"""Who may do what with open electronic votes: the presidium runs them (organising staff may
prepare them); official delegates vote; anyone who may watch sees the projector."""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import has_role, is_organising_staff, is_system_admin

can_run_votes = has_role(Role.PRESIDIUM) | is_organising_staff | is_system_admin
can_watch_votes = can_run_votes | has_role(Role.SECRETARIAT, Role.DELEGATE, Role.PRESS)

rules.add_perm("voting.run", can_run_votes)
rules.add_perm("voting.watch", can_watch_votes)
