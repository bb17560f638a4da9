"""Use cases on units (đơn vị)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from daihoi.audit.services import record
from daihoi.core.models import Unit
from daihoi.core.rules import can_change_unit, can_manage_units
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.vietnamese import nfc

# A liaison may keep their own unit's contact details current; names and structure are staff's.
LIAISON_FIELDS = frozenset({"email", "phone", "address"})
STAFF_FIELDS = LIAISON_FIELDS | {"name", "short_name", "acronym", "kind", "parent", "aliases"}


def _clean(value):
    if isinstance(value, str):
        return nfc(value).strip()
    if isinstance(value, list):
        return [nfc(v).strip() for v in value if str(v).strip()]
    return value


def _validate(unit: Unit) -> None:
    try:
        unit.full_clean()
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from None


@transaction.atomic
def update_unit(actor, unit: Unit, changes: dict) -> Unit:
    """Change a unit's fields; a liaison only the contact fields of their own unit."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not can_change_unit(actor, unit):
        raise NotAllowed("Đồng chí không có quyền sửa thông tin đơn vị này.")
    allowed = STAFF_FIELDS if can_manage_units(actor) else LIAISON_FIELDS
    refused = set(changes) - allowed
    if refused:
        raise NotAllowed("Đồng chí không được sửa các trường: " + ", ".join(sorted(refused)) + ".")
    before = {}
    for field, value in changes.items():
        value = _clean(value)
        old = getattr(unit, field)
        if old != value:
            before[field] = [getattr(old, "pk", old), getattr(value, "pk", value)]
            setattr(unit, field, value)
    if before:
        _validate(unit)
        unit.save()
        record(actor, "unit.updated", unit, {"changes": before})
    return unit


@transaction.atomic
def create_unit(actor, **fields) -> Unit:
    if not can_manage_units(actor):
        raise NotAllowed("Đồng chí không có quyền thêm đơn vị.")
    unit = Unit(**{k: _clean(v) for k, v in fields.items()})
    _validate(unit)
    unit.save()
    record(actor, "unit.created", unit, {"name": unit.name, "kind": unit.kind})
    return unit


class UnitDirectory:
    """Find a unit by any of its names as written in a document: full name, short name, acronym
    or alias, compared without diacritics and case ("BTG Thành ủy" = "Ban Tuyên giáo Thành ủy")."""

    def __init__(self, units=None):
        from daihoi.vietnamese import fold

        self._by_name: dict[str, Unit] = {}
        for unit in units if units is not None else Unit.objects.all():
            for name in [unit.name, unit.short_name, unit.acronym, *(unit.aliases or [])]:
                if name:
                    self._by_name.setdefault(fold(name), unit)
        self._fold = fold

    def find(self, text: str) -> Unit | None:
        return self._by_name.get(self._fold(text or ""))
