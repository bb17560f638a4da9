"""Who may do what with the congress bodies and show-of-hands votes. Views check these through
daihoi.core.views.mixins; services check the same predicates."""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import has_role, is_organising_staff, is_system_admin

can_manage_bodies = is_system_admin | is_organising_staff
# The secretariat (Đoàn Thư ký) keeps the minutes, so it records the counts it announces.
can_record_vote = has_role(Role.SECRETARIAT) | is_organising_staff
can_view_bodies = (
    can_manage_bodies
    | can_record_vote
    | has_role(Role.PRESIDIUM, Role.CREDENTIALS_COMMITTEE, Role.SUBCOMMITTEE_STANDING)
)

rules.add_perm("bodies.manage", can_manage_bodies)
rules.add_perm("bodies.record_vote", can_record_vote)
rules.add_perm("bodies.view", can_view_bodies)
