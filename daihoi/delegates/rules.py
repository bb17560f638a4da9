"""Who may do what with delegates: organising staff manage, the credentials committee reads,
a delegate sees their own record only. Views check these through core.views.mixins."""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import has_role, is_organising_staff, is_system_admin

is_credentials_committee = has_role(Role.CREDENTIALS_COMMITTEE)


@rules.predicate
def is_own_record(user, delegate) -> bool:
    return bool(delegate is not None and user.is_authenticated and delegate.user_id == user.pk)


can_manage_delegates = is_system_admin | is_organising_staff
sees_all_delegates_predicate = can_manage_delegates | is_credentials_committee


def sees_all_delegates(user) -> bool:
    return bool(sees_all_delegates_predicate(user))


@rules.predicate
def has_delegate_record(user) -> bool:
    return bool(user.is_authenticated and user.delegate_records.exists())


rules.add_perm("delegates.view_delegate_list", sees_all_delegates_predicate | has_delegate_record)
rules.add_perm("delegates.view_delegate", sees_all_delegates_predicate | is_own_record)
rules.add_perm("delegates.manage_delegates", can_manage_delegates)

# Check-in (điểm danh): the hall's check-in staff only check in; organising staff may too.
is_check_in_staff = has_role(Role.CHECK_IN_STAFF)
can_check_in = is_check_in_staff | can_manage_delegates
can_watch_counter = can_check_in | has_role(Role.PRESIDIUM, Role.SECRETARIAT)

rules.add_perm("delegates.check_in", can_check_in)
rules.add_perm("delegates.view_check_in_counter", can_watch_counter)

# Credentials review (thẩm tra tư cách): only the committee decides and records complaints;
# the report is read by those who prepare and lead the congress.
can_decide_credentials = is_credentials_committee
can_view_credentials_report = (
    is_credentials_committee
    | is_organising_staff
    | is_system_admin
    | has_role(Role.PRESIDIUM, Role.SUBCOMMITTEE_STANDING)
)
rules.add_perm("delegates.decide_credentials", can_decide_credentials)
rules.add_perm("delegates.view_credentials_report", can_view_credentials_report)
# Thẻ đại biểu: issue, print, revoke, replace, and the delegate's photo.
rules.add_perm("delegates.manage_badges", can_manage_delegates)
# Tổ đại biểu: organisers divide and edit; those who lead and record the congress read the lists.
can_view_groups = sees_all_delegates_predicate | has_role(Role.PRESIDIUM, Role.SECRETARIAT)
rules.add_perm("delegates.manage_groups", can_manage_delegates)
rules.add_perm("delegates.view_groups", can_view_groups)
