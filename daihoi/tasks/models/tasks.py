"""Nhiệm vụ: a task from a source document, its units, deadline and approval chain.

The status grid (done on time, late, ...) is never stored: daihoi.tasks.status derives it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày")
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")
    PERIODIC = "periodic", _("Định kỳ")
    EVENT = "event", _("Theo sự kiện")
    NONE = "none", _("Không có thời hạn")


class Periodicity(models.TextChoices):
    NONE = "", _("Không")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    CONTINUOUS = "continuous", _("Thường xuyên")


class TaskState(models.TextChoices):
    """Where the deliverable is in its workflow (not the deadline grid)."""

    OPEN = "open", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Đã trình, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã phê duyệt")
    CANCELLED = "cancelled", _("Đã hủy")


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TaskQuerySet":
        from daihoi.core.rules import sees_all_units

        if sees_all_units(user):
            return self
        if not user.is_authenticated or not user.liaison_unit_ids:
            return self.none()
        return self.with_unit(user.liaison_unit_ids)

    def with_unit(self, unit_ids, role: str | None = None) -> "TaskQuerySet":
        """Tasks linked to any of these units; a subquery, so no row is counted twice."""
        links = TaskUnit.objects.filter(unit_id__in=list(unit_ids))
        if role:
            links = links.filter(role=role)
        return self.filter(pk__in=links.values("task_id"))


class Task(models.Model):
    congress = models.ForeignKey(
        "core.Congress", on_delete=models.PROTECT, related_name="tasks", null=True, blank=True
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("Văn bản giao nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Nhiệm vụ cha"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField(_("Tên nhiệm vụ"), max_length=300)
    source_text = models.TextField(_("Trích nguyên văn"), blank=True)
    deliverable = models.CharField(_("Sản phẩm"), max_length=300, blank=True)
    deadline_kind = models.CharField(
        _("Loại thời hạn"), max_length=10, choices=DeadlineKind.choices, default="none"
    )
    deadline_date = models.DateField(_("Hạn"), null=True, blank=True)
    deadline_text = models.CharField(_("Thời hạn (nguyên văn)"), max_length=200, blank=True)
    periodicity = models.CharField(
        _("Chu kỳ báo cáo"), max_length=12, choices=Periodicity.choices, blank=True
    )
    state = models.CharField(
        _("Trạng thái xử lý"), max_length=10, choices=TaskState.choices, default="open"
    )
    submitted_at = models.DateTimeField(_("Ngày trình sản phẩm"), null=True, blank=True)
    approved_at = models.DateTimeField(_("Ngày phê duyệt cuối"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("Nhiệm vụ")
        verbose_name_plural = _("Nhiệm vụ")
        ordering = ["deadline_date", "pk"]
        indexes = [models.Index(fields=["deadline_date"]), models.Index(fields=["state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="task_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("task_detail", args=[self.pk])

    @property
    def grid_label(self) -> str:
        """The label of the status annotated as `grid` (grid.annotate_status)."""
        from daihoi.tasks.status import LABELS

        return str(LABELS.get(getattr(self, "grid", ""), ""))

    def unit_names(self, role: str) -> str:
        """ "A; B" of the lead or coordinating units (reads the prefetched task_units)."""
        return "; ".join(str(link) for link in self.task_units.all() if link.role == role)

    @property
    def lead_names(self) -> str:
        return self.unit_names(UnitRole.LEAD)

    @property
    def coordinating_names(self) -> str:
        return self.unit_names(UnitRole.COORDINATING)


class UnitRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATING = "coordinating", _("Phối hợp")


class TaskUnit(models.Model):
    """A lead or coordinating unit; a generic group ("các sở, ngành") is kept as written."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_units")
    unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="task_links"
    )
    text = models.CharField(_("Tên đơn vị như trong văn bản"), max_length=200, blank=True)
    role = models.CharField(_("Vai trò"), max_length=12, choices=UnitRole.choices)

    class Meta:
        verbose_name = _("Đơn vị thực hiện")
        verbose_name_plural = _("Đơn vị thực hiện")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | ~models.Q(text=""),
                name="task_unit_named",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit) if self.unit_id else self.text


class StepState(models.TextChoices):
    WAITING = "waiting", _("Chưa đến lượt")
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại")


class ApprovalStep(models.Model):
    """One body in the approval chain: Tiểu ban → Thường trực Thành ủy → Ban Thường vụ Thành ủy."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="approval_steps")
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    body = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_text = models.CharField(_("Cấp phê duyệt"), max_length=200)
    state = models.CharField(max_length=10, choices=StepState.choices, default="waiting")
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("Ý kiến"), blank=True)

    class Meta:
        verbose_name = _("Bước phê duyệt")
        verbose_name_plural = _("Bước phê duyệt")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "order"], name="approval_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.body_text}"
