"""Who may do what with tasks (domain.md §3; issue: liaisons change only their unit's progress,
standing members approve and see everything, subcommittee members read)."""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import has_role, is_organising_staff, is_system_admin, sees_all_units
from daihoi.tasks.models import UnitRole

is_standing = has_role(Role.SUBCOMMITTEE_STANDING)


def _unit_ids(task, role: str | None = None) -> set[int]:
    links = task.task_units.all()  # prefetched by list views
    return {link.unit_id for link in links if link.unit_id and (role is None or link.role == role)}


@rules.predicate
def is_liaison_of_task(user, task) -> bool:
    return bool(
        user.is_authenticated and task is not None and _unit_ids(task) & user.liaison_unit_ids
    )


@rules.predicate
def is_liaison_of_lead(user, task) -> bool:
    return bool(
        user.is_authenticated
        and task is not None
        and _unit_ids(task, UnitRole.LEAD) & user.liaison_unit_ids
    )


sees_all_tasks = rules.predicate(lambda user: sees_all_units(user), name="sees_all_tasks")
can_manage_tasks = is_system_admin | is_standing | is_organising_staff
can_approve = is_system_admin | is_standing

rules.add_perm("tasks.view_dashboard", sees_all_tasks | has_role(Role.UNIT_LIAISON))
rules.add_perm("tasks.view_task", sees_all_tasks | is_liaison_of_task)
rules.add_perm("tasks.add_task", can_manage_tasks)
rules.add_perm("tasks.change_task", can_manage_tasks)
rules.add_perm("tasks.report_progress", is_liaison_of_task | can_manage_tasks)
rules.add_perm("tasks.submit_product", is_liaison_of_lead | can_manage_tasks)
rules.add_perm("tasks.approve", can_approve)
rules.add_perm("tasks.issue_reminder", can_manage_tasks)
