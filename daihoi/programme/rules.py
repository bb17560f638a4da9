"""Who may do what with the programme: organising staff and system administrators change it;
anyone signed in with a role reads the agenda (delegates on their phones); the operating script
is for those who prepare and run the congress. Views check these through core.views.mixins."""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import has_role, is_organising_staff, is_system_admin


@rules.predicate
def has_any_role(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role_set))


can_manage_programme = is_system_admin | is_organising_staff
can_view_programme = can_manage_programme | has_any_role
can_view_script = can_manage_programme | has_role(
    Role.PRESIDIUM, Role.SECRETARIAT, Role.SUBCOMMITTEE_STANDING
)

rules.add_perm("programme.manage", can_manage_programme)
rules.add_perm("programme.view", can_view_programme)
rules.add_perm("programme.view_script", can_view_script)
