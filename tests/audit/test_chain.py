"""record() builds a chain that verify() accepts; every way of tampering names the first bad row."""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daihoi.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from daihoi.audit.services import AuditChainError, VerifyResult, compute_hash, record, verify
from daihoi.core.models import Unit, User
from tests.audit.helpers import build_chain, tamper_orm, tamper_sql

pytestmark = pytest.mark.django_db


def test_record_builds_a_linked_verifiable_chain():
    user = User.objects.create(username="thuky", full_name="Trần Thị Thư Ký")
    unit = Unit.objects.create(name="Ban Tuyên giáo Thành ủy", kind="party_organ")
    first = record(user, "unit.updated", unit, {"changes": {"phone": ["", "0243"]}})
    second = record(None, "backup.created")
    third = record(AnonymousUser(), "auth.login_failed", data={"username": "khach"})

    assert [e.seq for e in AuditEntry.objects.all()] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert (first.actor, first.actor_label) == (user, "thuky")
    assert (second.actor, second.actor_label) == (None, "hệ thống")
    assert (third.actor, third.actor_label) == (None, "hệ thống")
    assert (first.target_type, first.target_id, first.target_label) == (
        "core.unit",
        str(unit.pk),
        "Ban Tuyên giáo Thành ủy",
    )
    assert (second.target_type, second.target_id, second.payload) == ("", "", {})
    assert timezone.is_aware(first.created_at)
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (3, third.hash)
    assert verify() == VerifyResult(True, 3, None, "", third.hash)


def test_hash_is_sha256_of_prev_hash_and_canonical_json_of_the_other_fields():
    record(None, "unit.created", data={"b": 1, "a": "Hà Nội"})
    entry = AuditEntry.objects.get()  # as read back from the database
    fields = {
        "seq": 1,
        "created_at": entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": None,
        "actor_label": "hệ thống",
        "action": "unit.created",
        "target_type": "",
        "target_id": "",
        "target_label": "",
        "data": '{"a":"Hà Nội","b":1}',
        "prev_hash": GENESIS_HASH,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256((GENESIS_HASH + canonical).encode()).hexdigest()
    assert entry.data == '{"a":"Hà Nội","b":1}'
    assert entry.hash == compute_hash(entry) == expected
    assert entry.created_at.isoformat().endswith("+00:00")


def test_data_is_made_json_safe():
    when = datetime.datetime(2025, 10, 1, 8, 30, tzinfo=datetime.UTC)
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    entry = record(
        None,
        "ballot.counted",
        data={"day": datetime.date(2025, 10, 2), "at": when, "ratio": Decimal("66.67"), "id": key},
    )
    assert entry.payload == {
        "day": "2025-10-02",
        "at": "2025-10-01T08:30:00Z",
        "ratio": "66.67",
        "id": "12345678-1234-5678-1234-567812345678",
    }
    assert verify().ok


@pytest.mark.parametrize(
    "action", ["", "updated", "Unit.Updated", "unit updated", "unit.", "a" * 101]
)
def test_action_must_be_a_short_dotted_code(action):
    with pytest.raises(ValueError, match="Mã hành động"):
        record(None, action)
    assert not AuditEntry.objects.exists()


def test_target_must_be_saved():
    with pytest.raises(ValueError):
        record(None, "unit.created", Unit(name="Chưa lưu", kind="party_organ"))


def test_empty_chain_verifies():
    assert verify() == VerifyResult(True, 0, None, "", GENESIS_HASH)


@pytest.mark.parametrize(
    ("column", "value"),
    [("data", '{"step":99}'), ("action", "unit.deleted")],
)
def test_row_altered_with_raw_sql_is_caught(column, value):
    build_chain(6)
    tamper_sql(f"UPDATE audit_auditentry SET {column} = %s WHERE seq = 3", [value])  # noqa: S608
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.problem == "Dòng số 3 đã bị sửa: mã băm không khớp"


def test_row_removed_from_the_middle_is_caught():
    build_chain(6)
    tamper_sql("DELETE FROM audit_auditentry WHERE seq = 4")
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert result.problem == "Thiếu dòng số 4 (đã bị xóa)"


def test_several_rows_removed_are_named_as_a_range():
    build_chain(8)
    tamper_sql("DELETE FROM audit_auditentry WHERE seq IN (3, 4, 5)")
    assert verify().problem == "Thiếu dòng số 3 đến 5 (đã bị xóa)"


def test_rows_removed_from_the_end_are_caught_by_the_head():
    build_chain(6)
    tamper_sql("DELETE FROM audit_auditentry WHERE seq >= 5")
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 5)
    assert result.problem == "Nhật ký bị cắt bớt: đầu chuỗi ghi dòng 6 nhưng chỉ còn đến dòng 4"


def test_cut_tail_stays_visible_after_the_next_append():
    build_chain(6)
    tamper_sql("DELETE FROM audit_auditentry WHERE seq >= 5")
    record(None, "auth.login_failed")  # takes seq 7, linked to the head, not to row 4
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 5)
    assert result.problem == "Thiếu dòng số 5 đến 6 (đã bị xóa)"


def _forge(seq: int, prev_hash: str) -> AuditEntry:
    """A row with a correctly computed hash of its own, as a forger would make it."""
    forged = AuditEntry(
        seq=seq,
        created_at=timezone.now(),
        actor_label="hệ thống",
        action="unit.updated",
        data='{"step":4}',
        prev_hash=prev_hash,
    )
    forged.hash = compute_hash(forged)
    return forged


def test_forged_row_linked_to_the_wrong_predecessor_is_caught():
    chain = build_chain(6)
    tamper_sql("DELETE FROM audit_auditentry WHERE seq = 4")
    _forge(4, prev_hash=chain[1].hash).save()  # links to row 2, not row 3
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert result.problem == "Dòng số 4 không nối tiếp dòng trước (chèn sai thứ tự)"


def test_forged_row_appended_without_moving_the_head_is_caught():
    chain = build_chain(3)
    _forge(
        4, prev_hash=chain[-1].hash
    ).save()  # the ORM allows inserts; only record() moves the head
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert result.problem == "Dòng số 4 nằm sau đầu chuỗi (dòng 3): được thêm ngoài hệ thống"


def test_rewritten_row_with_a_recomputed_hash_breaks_the_next_link():
    chain = build_chain(5)
    edited = AuditEntry.objects.get(seq=2)
    edited.data = '{"step":200}'
    tamper_orm(2, data=edited.data, hash=compute_hash(edited))
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert "Dòng số 3 không nối tiếp" in result.problem
    assert chain[2].prev_hash == chain[1].hash


def test_missing_head_is_reported_and_blocks_appends():
    build_chain(2)
    tamper_sql("DELETE FROM audit_audithead")
    result = verify()
    assert not result.ok and result.first_bad_seq is None
    assert "Mất dòng đầu chuỗi" in result.problem
    with pytest.raises(AuditChainError):
        record(None, "unit.updated")


def test_head_pointing_at_a_different_hash_is_caught():
    build_chain(3)
    tamper_sql("UPDATE audit_audithead SET hash = %s", ["f" * 64])
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 3)


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=60,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seq=st.integers(1, 4),
    change=st.one_of(
        st.tuples(
            st.sampled_from(
                ["actor_label", "action", "target_type", "target_id", "target_label", "data"]
            ),
            TEXT,
        ),
        st.tuples(st.just("prev_hash"), st.text("0123456789abcdef", min_size=64, max_size=64)),
        st.tuples(st.just("hash"), st.text("0123456789abcdef", min_size=64, max_size=64)),
        st.tuples(st.just("created_at"), st.integers(-(10**9), 10**9).filter(bool)),
    ),
)
def test_any_single_field_change_is_caught_at_that_row(seq, change):
    column, value = change
    with transaction.atomic():
        build_chain(4)
        entry = AuditEntry.objects.get(seq=seq)
        if column == "created_at":
            value = entry.created_at + datetime.timedelta(microseconds=value)
        if getattr(entry, column) != value:
            tamper_orm(seq, **{column: value})
            result = verify()
            assert (result.ok, result.first_bad_seq) == (False, seq)
            assert result.problem == f"Dòng số {seq} đã bị sửa: mã băm không khớp"
        transaction.set_rollback(True)
