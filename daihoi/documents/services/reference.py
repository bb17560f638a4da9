"""Reference tables: tie issuers (TU, VPTU, ...) to the units that sign for them."""

from __future__ import annotations

from django.db import transaction

from daihoi.audit.services import record
from daihoi.core.models import Unit
from daihoi.documents.models import Issuer
from daihoi.documents.services.base import Actor, require_manager

# The example congress's units by name (core.example); elsewhere a unit whose acronym is the
# issuer's code is taken, when there is exactly one.
UNIT_NAMES = {
    "TU": "Thành ủy Hà Nội",
    "BTGTU": "Ban Tuyên giáo Thành ủy",
    "BTCTU": "Ban Tổ chức Thành ủy",
    "VPTU": "Văn phòng Thành ủy",
    "UBKTTU": "Ủy ban Kiểm tra Thành ủy",
    "TBTCPV": "Tiểu ban tổ chức phục vụ đại hội",
}


def _unit_for(issuer: Issuer) -> Unit | None:
    name = UNIT_NAMES.get(issuer.code)
    if name and (unit := Unit.objects.filter(name=name).first()):
        return unit
    by_acronym = list(Unit.objects.filter(acronym=issuer.code)[:2])
    return by_acronym[0] if len(by_acronym) == 1 else None


@transaction.atomic
def link_issuers_to_units(actor: Actor = None) -> int:
    """Link every issuer without a unit to its unit when it can be found; returns how many.

    Links staff set by hand are never changed. Safe to call again after loading more units.
    """
    require_manager(actor)
    linked = 0
    for issuer in Issuer.objects.select_for_update().filter(unit__isnull=True).order_by("code"):
        unit = _unit_for(issuer)
        if unit is None:
            continue
        issuer.unit = unit
        issuer.save(update_fields=["unit"])
        record(actor, "issuer.linked", issuer, {"code": issuer.code, "unit": unit.pk})
        linked += 1
    return linked
