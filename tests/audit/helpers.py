"""Helpers shared by the audit tests: a small chain, and tampering as someone with database
access would do it (lift the triggers inside a transaction, then change rows)."""

from __future__ import annotations

from django.db import connection, transaction

from daihoi.audit.models import AuditEntry
from daihoi.audit.services import record, suspend_immutability
from daihoi.core.models import Unit


def build_chain(rows: int) -> list[AuditEntry]:
    unit, _ = Unit.objects.get_or_create(name="Văn phòng Thành ủy", kind="party_organ")
    return [record(None, "unit.updated", unit, {"step": n}) for n in range(1, rows + 1)]


def tamper_sql(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), suspend_immutability(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def tamper_orm(seq: int, **changes) -> None:
    with transaction.atomic(), suspend_immutability(connection):
        assert AuditEntry.objects.filter(seq=seq).update(**changes) == 1
