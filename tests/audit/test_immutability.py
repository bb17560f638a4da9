"""The chain cannot be changed through the ORM, nor with raw SQL while the triggers stand."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from daihoi.audit import triggers
from daihoi.audit.models import AuditEntry, AuditHead, AuditImmutableError
from daihoi.audit.services import record, suspend_immutability, verify
from daihoi.core.models import User
from tests.audit.helpers import build_chain

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL"
)


def _raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the pending deferred foreign-key checks, so the error seen is the trigger's.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)


@pytest.mark.django_db
class TestOrmGuard:
    def test_saving_an_existing_row_is_refused(self):
        entry = build_chain(1)[0]
        entry.action = "unit.deleted"
        with pytest.raises(AuditImmutableError, match="chỉ được ghi thêm"):
            entry.save()

    def test_a_new_object_with_an_existing_id_cannot_overwrite_a_row(self):
        entry = build_chain(1)[0]
        copy = AuditEntry.objects.get(pk=entry.pk)
        copy._state.adding = True
        copy.action = "unit.deleted"
        with pytest.raises(IntegrityError), transaction.atomic():
            copy.save()
        assert AuditEntry.objects.get(pk=entry.pk).action == "unit.updated"

    def test_deleting_a_row_is_refused(self):
        entry = build_chain(1)[0]
        with pytest.raises(AuditImmutableError):
            entry.delete()

    def test_queryset_update_and_bulk_update_are_refused(self):
        entries = build_chain(2)
        with pytest.raises(AuditImmutableError):
            AuditEntry.objects.filter(seq=1).update(action="unit.deleted")
        entries[0].action = "unit.deleted"
        with pytest.raises(AuditImmutableError):
            AuditEntry.objects.bulk_update(entries, ["action"])

    def test_queryset_delete_is_refused(self):
        build_chain(2)
        with pytest.raises(AuditImmutableError):
            AuditEntry.objects.all().delete()
        assert AuditEntry.objects.count() == 2 and verify().ok

    def test_a_user_with_audit_rows_cannot_be_deleted(self):
        user = User.objects.create(username="canbo")
        record(user, "auth.login", user)
        with pytest.raises(ProtectedError):
            user.delete()


@pytest.mark.django_db
class TestDatabaseTriggers:
    def test_trigger_sql_names_the_model_tables(self):
        assert AuditEntry._meta.db_table == triggers.ENTRY_TABLE
        assert AuditHead._meta.db_table == triggers.HEAD_TABLE

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE audit_auditentry SET action = 'unit.deleted'",
            "UPDATE audit_auditentry SET data = '{}' WHERE seq = 1",
            "DELETE FROM audit_auditentry WHERE seq = 2",
            "DELETE FROM audit_auditentry",
            "DELETE FROM audit_audithead",
        ],
    )
    def test_raw_update_and_delete_are_refused(self, sql):
        build_chain(2)
        with pytest.raises(IntegrityError, match="append-only"):
            _raw(sql)
        assert AuditEntry.objects.count() == 2 and verify().ok

    @postgresql_only
    @pytest.mark.parametrize("table", ["audit_auditentry", "audit_audithead"])
    def test_truncate_is_refused(self, table):
        build_chain(2)
        with pytest.raises(IntegrityError, match="append-only"):
            _raw(f"TRUNCATE {table}")
        assert verify().ok

    def test_the_head_row_may_move_forward(self):
        build_chain(1)
        record(None, "unit.updated")
        assert AuditHead.objects.get().seq == 2

    def test_suspension_ends_with_its_block(self):
        build_chain(2)
        with transaction.atomic(), suspend_immutability(connection):
            AuditEntry.objects.filter(seq=2).delete()
            AuditHead.objects.update(seq=1, hash=AuditEntry.objects.get(seq=1).hash)
        assert verify().ok and verify().rows_checked == 1
        with pytest.raises(IntegrityError):
            _raw("DELETE FROM audit_auditentry")
        with pytest.raises(AuditImmutableError):
            AuditEntry.objects.all().delete()

    def test_suspension_is_rolled_back_with_an_error(self):
        build_chain(2)
        with pytest.raises(RuntimeError), transaction.atomic(), suspend_immutability(connection):
            AuditEntry.objects.all().delete()
            raise RuntimeError("giữa chừng")
        assert AuditEntry.objects.count() == 2
        with pytest.raises(IntegrityError):
            _raw("DELETE FROM audit_auditentry")


@pytest.mark.django_db(transaction=True)
class TestOutsideTransactions:
    def test_suspension_needs_a_transaction(self):
        with (
            pytest.raises(RuntimeError, match="transaction.atomic"),
            suspend_immutability(connection),
        ):
            pass

    def test_flush_empties_the_chain_and_keeps_the_triggers(self):
        build_chain(3)
        call_command("flush", interactive=False, verbosity=0)
        assert not AuditEntry.objects.exists() and not AuditHead.objects.exists()
        assert verify().ok
        build_chain(1)
        with pytest.raises(IntegrityError):
            _raw("DELETE FROM audit_auditentry")
