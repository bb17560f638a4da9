"""Who may do what in the public consultation: staff of the organising subcommittee prepare the
drafts and news; moderators and staff moderate and synthesise; anyone may read and comment."""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import has_role, is_organising_staff, is_subcommittee, is_system_admin

can_manage_drafts = is_subcommittee | is_organising_staff | is_system_admin
can_moderate = has_role(Role.MODERATOR) | can_manage_drafts

rules.add_perm("consultation.manage_drafts", can_manage_drafts)
rules.add_perm("consultation.moderate", can_moderate)
rules.add_perm("consultation.synthesize", can_moderate)
