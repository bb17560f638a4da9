"""Helpers shared by the register's use cases."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from daihoi.documents.rules import can_manage_documents
from daihoi.documents.services.errors import InvalidInput, NotAllowed
from daihoi.vietnamese import collapse_whitespace, nfc

# Who acts: a signed-in user, or None for the system itself (migrations, demo data).
Actor = AbstractBaseUser | AnonymousUser | None


def require_manager(actor: Actor) -> None:
    """`actor` None is the system itself (migrations, demo data); anyone else needs the role."""
    if actor is not None and not can_manage_documents(actor):
        raise NotAllowed(_("Đồng chí không có quyền cập nhật sổ đăng ký văn bản."))


def line(value: str | None) -> str:
    """One-line text: NFC, single spaces."""
    return collapse_whitespace(nfc(value or ""))


def block(value: str | None) -> str:
    """Multi-line text: NFC, Windows line ends dropped, outer blank space stripped."""
    return nfc(value or "").replace("\r\n", "\n").strip()


def validate(instance: Model, exclude: list[str] | None = None) -> None:
    """Model validation with each message prefixed by the field's Vietnamese label."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        messages = []
        for name, errors in exc.message_dict.items():
            try:
                label = str(instance._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 — NON_FIELD_ERRORS has no field
                label = ""
            messages += [f"{label}: {e}" if label else e for e in errors]
        raise InvalidInput(" ".join(messages)) from None
