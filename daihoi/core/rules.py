"""Who may do what: every permission of the core app, as django-rules predicates.

Views check these through `daihoi.core.views.mixins` only. An object the user may not see
answers 404, so its existence does not leak; a page the user's role may not open answers 403.
"""

from __future__ import annotations

import rules

from daihoi.core.models import Role


def has_role(*roles: str) -> rules.Predicate:
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name)
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(*roles))

    return predicate


is_system_admin = rules.predicate(
    lambda user: bool(
        user and user.is_authenticated and (user.is_superuser or user.has_role(Role.SYSTEM_ADMIN))
    ),
    name="is_system_admin",
)
is_subcommittee = has_role(Role.SUBCOMMITTEE_STANDING, Role.SUBCOMMITTEE_MEMBER)
is_organising_staff = has_role(Role.ORGANISING_STAFF)
is_liaison = has_role(Role.UNIT_LIAISON)


@rules.predicate
def is_liaison_of_unit(user, unit) -> bool:
    """The user is the liaison (đầu mối) of this unit. `unit` may be a Unit or its id."""
    if unit is None or not user.is_authenticated:
        return False
    unit_id = getattr(unit, "pk", unit)
    return unit_id in user.liaison_unit_ids


# Congress-wide roles that see every unit's things.
sees_all_units_predicate = is_system_admin | is_subcommittee | is_organising_staff


def sees_all_units(user) -> bool:
    return bool(sees_all_units_predicate(user))


can_view_unit = sees_all_units_predicate | is_liaison_of_unit
can_change_unit = is_system_admin | is_organising_staff | is_liaison_of_unit
can_manage_units = is_system_admin | is_organising_staff
can_manage_users = is_system_admin
can_view_audit = is_system_admin | has_role(Role.SUBCOMMITTEE_STANDING)

rules.add_perm("core.view_unit", can_view_unit)
rules.add_perm("core.change_unit", can_change_unit)
rules.add_perm("core.add_unit", can_manage_units)
rules.add_perm("core.manage_users", can_manage_users)
rules.add_perm("audit.view_entries", can_view_audit)
