"""The audit chain: append-only rows, each carrying the hash of the row before it.

Write rows only through `daihoi.audit.services.record()`; read them with `verify()` or the views.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
# Connection attribute set by services.suspend_immutability() (per connection, so per thread).
SUSPENDED_ATTR = "_audit_suspended"


class AuditImmutableError(Exception):
    """Somebody tried to change or remove an audit row through the ORM."""

    def __init__(self, what: str = "") -> None:
        super().__init__(
            "Nhật ký kiểm toán chỉ được ghi thêm, không được sửa hay xóa"
            + (f" ({what})." if what else ".")
        )


def immutability_suspended(using: str) -> bool:
    """True only inside `suspend_immutability()` on that connection (restore, flush)."""
    return getattr(connections[using], SUSPENDED_ATTR, 0) > 0


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if not immutability_suspended(self.db):
            raise AuditImmutableError("update")
        return super().update(**kwargs)

    def delete(self):
        if not immutability_suspended(self.db):
            raise AuditImmutableError("delete")
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True
    update.alters_data = True


class AuditEntry(models.Model):
    """Dòng nhật ký kiểm toán: who did what to which object, chained by SHA-256."""

    seq = models.PositiveBigIntegerField(_("Số thứ tự"), unique=True)
    created_at = models.DateTimeField(_("Thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor_label = models.TextField(_("Tên người thực hiện"))
    action = models.CharField(_("Hành động"), max_length=100)
    target_type = models.CharField(_("Loại đối tượng"), max_length=100, blank=True)
    target_id = models.CharField(_("Mã đối tượng"), max_length=64, blank=True)
    target_label = models.TextField(_("Tên đối tượng"), blank=True)
    # Canonical JSON text, not a JSONField: the hash input must be byte-identical on every database.
    data = models.TextField(_("Dữ liệu"), default="{}")
    prev_hash = models.CharField(_("Mã băm dòng trước"), max_length=64)
    hash = models.CharField(_("Mã băm"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dòng nhật ký kiểm toán")
        verbose_name_plural = _("Nhật ký kiểm toán")
        ordering = ["seq"]
        base_manager_name = "objects"
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_entry_seq_from_1"),
        ]
        indexes = [
            models.Index(fields=["action"], name="audit_entry_action"),
            models.Index(fields=["target_type", "target_id"], name="audit_entry_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} — {self.actor_label}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditImmutableError("save")
        # Always an INSERT: a new object given an existing id fails instead of overwriting it.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, using=None, keep_parents=False):
        if not immutability_suspended(using or router.db_for_write(type(self), instance=self)):
            raise AuditImmutableError("delete")
        return super().delete(using=using, keep_parents=keep_parents)

    @property
    def payload(self) -> Any:
        return json.loads(self.data)


class AuditHead(models.Model):
    """Đầu chuỗi: the seq and hash of the newest row, moved forward with every append.

    A hash chain alone cannot show that its newest rows were cut off: what is left still
    links up. This one row remembers where the chain ended, so `verify()` notices a cut tail.
    It is the only audit row that may be updated (never deleted); rewriting it as well as
    recomputing every later hash is what an attacker would need, which is why the head hash
    is also printed by `daihoi audit verify` for copying into minutes.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.PositiveBigIntegerField(_("Số thứ tự dòng cuối"))
    hash = models.CharField(_("Mã băm dòng cuối"), max_length=64)

    class Meta:
        verbose_name = _("Đầu chuỗi nhật ký")
        verbose_name_plural = _("Đầu chuỗi nhật ký")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:16]}"
