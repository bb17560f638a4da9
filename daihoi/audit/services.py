"""The one way to write to the audit chain (`record`) and the check that it is whole (`verify`).

Each row's hash is sha256(prev_hash + canonical JSON of every other field), so changing,
removing or inserting a row breaks the link to the rows after it; `AuditHead` catches a cut tail.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from daihoi.audit import triggers
from daihoi.audit.models import (
    GENESIS_HASH,
    SUSPENDED_ATTR,
    AuditEntry,
    AuditHead,
    AuditImmutableError,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "AuditChainError",
    "AuditImmutableError",
    "ChainChecker",
    "VerifyResult",
    "canonical_json",
    "compute_hash",
    "record",
    "snapshot_transaction",
    "suspend_immutability",
    "verify",
]

SYSTEM_LABEL = "hệ thống"
# pg_advisory_xact_lock key for the whole chain: the bytes of "dh-audit" read as an integer.
CHAIN_LOCK_KEY = 7235082697975294324
ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


class AuditChainError(Exception):
    """The chain is in a state where appending would hide damage (its head row is missing)."""


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _json_safe(data: Mapping[str, Any]) -> dict[str, Any]:
    # DjangoJSONEncoder turns dates, Decimals and UUIDs into strings; NaN is not JSON.
    return json.loads(json.dumps(dict(data), cls=DjangoJSONEncoder, allow_nan=False))


def _utc_iso(value: datetime) -> str:
    if timezone.is_naive(value):
        raise ValueError("created_at phải có múi giờ")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class ChainRow(Protocol):
    """What hashing and checking read from a row: an AuditEntry or a named values_list tuple."""

    seq: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    data: str
    prev_hash: str
    hash: str


ROW_FIELDS = tuple(ChainRow.__annotations__)  # the attribute names above, for values_list()


def compute_hash(entry: ChainRow) -> str:
    """sha256(prev_hash + canonical JSON of every field but the hash and the surrogate id).

    The id is left out because the database assigns it on insert, after the hash is known;
    `seq` is the row's identity in the chain.
    """
    fields = {
        "seq": entry.seq,
        "created_at": _utc_iso(entry.created_at),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256((entry.prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: Model | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the chain: `actor` did `action` (e.g. "unit.updated") to `target`.

    Runs in its own atomic block (a savepoint when the caller already has a transaction, so the
    row is written or dropped together with the change it describes). The chain stays locked
    until the caller's transaction ends, so keep transactions that record short.
    """
    if not ACTION_PATTERN.fullmatch(action) or len(action) > 100:
        raise ValueError(f"Mã hành động không hợp lệ: {action!r} (ví dụ đúng: 'unit.updated')")
    if actor is not None and not actor.is_authenticated:
        actor = None
    if target is not None and target.pk is None:
        raise ValueError("Đối tượng phải được lưu trước khi ghi nhật ký")
    text = canonical_json(_json_safe(data or {}))
    using = router.db_for_write(AuditEntry)
    connection = connections[using]

    with transaction.atomic(using=using):
        # Appends are serialised so two writers never take the same seq or fork the chain.
        # SQLite needs nothing here: transaction_mode=IMMEDIATE holds the write lock from BEGIN.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        head = AuditHead.objects.using(using).filter(pk=1).first()
        if head is None:
            if AuditEntry.objects.using(using).exists():
                raise AuditChainError(
                    "Nhật ký kiểm toán mất dòng đầu chuỗi; không ghi thêm để khỏi che dấu vết. "
                    "Chạy «daihoi audit verify»."
                )
            head = AuditHead(seq=0, hash=GENESIS_HASH)
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor,
            actor_label=actor.get_username() if actor is not None else SYSTEM_LABEL,
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target) if target is not None else "",
            data=text,
            prev_hash=head.hash,
        )
        entry.hash = compute_hash(entry)
        entry.save(using=using, force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(using=using)
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    head_hash: str = GENESIS_HASH


class ChainChecker:
    """Walks rows in seq order and keeps the first problem; shared by verify() and restore."""

    def __init__(self) -> None:
        self.rows = 0
        self.expected_seq = 1
        self.prev_hash = GENESIS_HASH
        self.result: VerifyResult | None = None

    def _fail(self, seq: int | None, problem: str) -> bool:
        self.result = VerifyResult(False, self.rows, seq, problem, self.prev_hash)
        return False

    def feed(self, entry: ChainRow) -> bool:
        """Check the next row; False once the chain is broken (see `result`)."""
        if self.result is not None:
            return False
        self.rows += 1
        seq, expected = entry.seq, self.expected_seq
        if seq > expected:
            missing = str(expected) if seq == expected + 1 else f"{expected} đến {seq - 1}"
            return self._fail(expected, f"Thiếu dòng số {missing} (đã bị xóa)")
        if seq < expected:
            return self._fail(seq, f"Dòng số {seq} không nối tiếp dòng trước (chèn sai thứ tự)")
        if compute_hash(entry) != entry.hash:
            return self._fail(seq, f"Dòng số {seq} đã bị sửa: mã băm không khớp")
        if entry.prev_hash != self.prev_hash:
            return self._fail(seq, f"Dòng số {seq} không nối tiếp dòng trước (chèn sai thứ tự)")
        self.expected_seq += 1
        self.prev_hash = entry.hash
        return True

    def finish(self, head: AuditHead | None) -> VerifyResult:
        """Compare the end of the rows with the head row; the final verdict."""
        if self.result is not None:
            return self.result
        last = self.expected_seq - 1
        if head is None:
            if last:
                self._fail(None, "Mất dòng đầu chuỗi: không kiểm được các dòng cuối có bị xóa")
        elif head.seq > last:
            remaining = f"chỉ còn đến dòng {last}" if last else "không còn dòng nào"
            self._fail(
                last + 1, f"Nhật ký bị cắt bớt: đầu chuỗi ghi dòng {head.seq} nhưng {remaining}"
            )
        elif head.seq < last:
            self._fail(
                head.seq + 1,
                f"Dòng số {head.seq + 1} nằm sau đầu chuỗi (dòng {head.seq}): "
                "được thêm ngoài hệ thống",
            )
        elif head.hash != self.prev_hash:
            self._fail(last, f"Đầu chuỗi không khớp mã băm của dòng số {last}")
        return self.result or VerifyResult(True, self.rows, head_hash=self.prev_hash)


@contextmanager
def snapshot_transaction(using: str) -> Iterator[None]:
    """A transaction whose reads all see one moment, even while others keep writing.

    PostgreSQL needs REPEATABLE READ for that (READ COMMITTED gives each query a new snapshot);
    it can only be chosen when this is the outermost transaction. SQLite's BEGIN IMMEDIATE
    already excludes other writers.
    """
    connection = connections[using]
    repeatable = connection.vendor == "postgresql" and not connection.in_atomic_block
    if repeatable:
        # A health check's "SELECT 1" would start the transaction before SET TRANSACTION.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    with transaction.atomic(using=using):
        if repeatable:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def verify(using: str | None = None) -> VerifyResult:
    """Recompute the whole chain, streaming rows; the first problem names its row."""
    using = using or router.db_for_read(AuditEntry)
    checker = ChainChecker()
    with snapshot_transaction(using):
        # Plain tuples rather than model instances: about 1.6 times faster on long chains.
        rows = (
            AuditEntry.objects.using(using)
            .order_by("seq")
            .values_list(*ROW_FIELDS, named=True)
            .iterator(chunk_size=2000)
        )
        for entry in rows:
            if not checker.feed(entry):
                break
        head = AuditHead.objects.using(using).filter(pk=1).first()
    return checker.finish(head)


# ALTER TABLE refuses while deferred foreign-key checks on the table are pending in this
# transaction (rows just inserted); running them now, then deferring again, empties the queue.
_RUN_PENDING_CHECKS = ("SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS ALL DEFERRED")


def _execute(connection: BaseDatabaseWrapper, statements: tuple[str, ...]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def suspend_immutability(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let restore (and flush) empty the audit tables, inside the caller's transaction only.

    The triggers are disabled (PostgreSQL) or dropped (SQLite) by DDL in the same transaction,
    so a rollback brings them back by itself; nested use is allowed.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("suspend_immutability() chỉ dùng bên trong transaction.atomic()")
    vendor = connection.vendor
    depth = getattr(connection, SUSPENDED_ATTR, 0)
    if depth == 0:
        if vendor == "postgresql":
            _execute(connection, (*_RUN_PENDING_CHECKS, *triggers.POSTGRESQL_DISABLE))
        elif vendor == "sqlite":
            _execute(connection, triggers.SQLITE_DROP)
    setattr(connection, SUSPENDED_ATTR, depth + 1)
    try:
        yield
    except BaseException:
        # Make sure the block rolls back, which also restores the triggers.
        transaction.set_rollback(True, using=connection.alias)
        raise
    finally:
        setattr(connection, SUSPENDED_ATTR, depth)
    if depth == 0:
        if vendor == "postgresql":
            _execute(connection, (*_RUN_PENDING_CHECKS, *triggers.POSTGRESQL_ENABLE))
        elif vendor == "sqlite":
            _execute(connection, triggers.SQLITE_TRIGGERS)
