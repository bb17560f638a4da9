"""Who may do what in the document register (sổ đăng ký văn bản), as django-rules predicates.

Views check these through `daihoi.core.views.mixins` only.
"""

from __future__ import annotations

import rules

from daihoi.core.models import Role
from daihoi.core.rules import (
    has_role,
    is_liaison,
    is_organising_staff,
    is_subcommittee,
    is_system_admin,
)

is_subcommittee_standing = has_role(Role.SUBCOMMITTEE_STANDING)

# Every signed-in staff role reads the register; a unit's liaison reads the documents that
# assign work to their unit.
can_view_documents = is_system_admin | is_subcommittee | is_organising_staff | is_liaison
# Registering, changing, attaching and linking: the office that keeps the register.
can_manage_documents = is_system_admin | is_subcommittee_standing | is_organising_staff

rules.add_perm("documents.view_document", can_view_documents)
rules.add_perm("documents.add_document", can_manage_documents)
rules.add_perm("documents.change_document", can_manage_documents)
