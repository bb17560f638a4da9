"""Use cases on user accounts and roles."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import devices_for_user

from daihoi.audit.services import record
from daihoi.core.models import Role, RoleAssignment, Unit, User
from daihoi.core.models.users import UNIT_ROLES
from daihoi.core.rules import can_manage_users
from daihoi.core.services.errors import InvalidInput, NotAllowed


def _require_admin(actor) -> None:
    if actor is not None and not can_manage_users(actor):
        raise NotAllowed("Chỉ quản trị hệ thống được quản lý tài khoản.")


def sync_admin_flags(user: User) -> None:
    is_admin = user.role_assignments.filter(role=Role.SYSTEM_ADMIN).exists()
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        User.objects.filter(pk=user.pk).update(is_staff=is_admin, is_superuser=is_admin)
        user.is_staff = user.is_superuser = is_admin


@transaction.atomic
def create_user(
    actor, username: str, full_name: str, password: str | None = None, **fields
) -> User:
    """Create an account. `actor` None means the system (set-up, demo data)."""
    _require_admin(actor)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(f"Tên đăng nhập «{username}» đã có.", code="username_taken")
    user = User(username=username, full_name=full_name, **fields)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), code="weak_password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(actor, "user.created", user, {"username": username, "full_name": full_name})
    return user


@transaction.atomic
def assign_role(actor, user: User, role: str, unit: Unit | None = None) -> RoleAssignment:
    _require_admin(actor)
    if role not in Role.values:
        raise InvalidInput(f"Vai trò «{role}» không tồn tại.", code="unknown_role")
    if role in UNIT_ROLES and unit is None:
        raise InvalidInput("Vai trò đầu mối phải gắn với một đơn vị.", code="unit_required")
    if role not in UNIT_ROLES:
        unit = None
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    if created:
        sync_admin_flags(user)
        record(actor, "role.assigned", user, {"role": role, "unit": unit.pk if unit else None})
    user.__dict__.pop("role_set", None)
    user.__dict__.pop("liaison_unit_ids", None)
    return assignment


@transaction.atomic
def revoke_role(actor, user: User, role: str, unit: Unit | None = None) -> None:
    _require_admin(actor)
    deleted, _ = RoleAssignment.objects.filter(user=user, role=role, unit=unit).delete()
    if deleted:
        sync_admin_flags(user)
        record(actor, "role.revoked", user, {"role": role, "unit": unit.pk if unit else None})


@transaction.atomic
def reset_password(actor, user: User) -> str:
    """An admin resets a user's password; returns a one-time password to hand over.

    The user must choose a new password at the next sign-in. Their two-factor devices stay.
    """
    _require_admin(actor)
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed("Hãy dùng chức năng đổi mật khẩu cho tài khoản của chính mình.")
    temporary = secrets.token_urlsafe(9)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(temporary)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor, "user.password_reset", user, {})
    return temporary


@transaction.atomic
def reset_two_factor(actor, user: User) -> int:
    """Remove a user's TOTP devices (lost phone); they enrol again at the next sign-in."""
    _require_admin(actor)
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    record(actor, "user.two_factor_reset", user, {"devices_removed": removed})
    return removed


@transaction.atomic
def change_own_password(user: User, new_password: str) -> None:
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password") from None
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(user, "user.password_changed", user, {})


@transaction.atomic
def set_active(actor, user: User, active: bool) -> None:
    _require_admin(actor)
    if user.is_active != active:
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        record(actor, "user.activated" if active else "user.deactivated", user, {})
