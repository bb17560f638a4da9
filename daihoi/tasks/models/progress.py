from django.db import models
from django.utils.translation import gettext_lazy as _


class Occurrence(models.Model):
    """One report period of a periodic task (e.g. the monthly report due on the 25th)."""

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="occurrences")
    period_start = models.DateField(_("Từ ngày"))
    period_end = models.DateField(_("Đến ngày"))
    due_date = models.DateField(_("Hạn báo cáo"))
    submitted_at = models.DateTimeField(_("Ngày nộp"), null=True, blank=True)
    approved_at = models.DateTimeField(_("Ngày duyệt"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kỳ báo cáo")
        verbose_name_plural = _("Kỳ báo cáo")
        ordering = ["task", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="occurrence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class ProgressReport(models.Model):
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="reports")
    occurrence = models.ForeignKey(
        Occurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    unit = models.ForeignKey("core.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("Nội dung báo cáo"))
    percent = models.PositiveSmallIntegerField(_("Tiến độ (%)"))
    created_at = models.DateTimeField(_("Thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("Báo cáo tiến độ")
        verbose_name_plural = _("Báo cáo tiến độ")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="progress_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% — {self.text[:60]}"


def progress_file_path(instance: "ProgressFile", filename: str) -> str:
    return f"tasks/{instance.report.task_id}/{instance.sha256[:16]}-{filename}"


class ProgressFile(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=progress_file_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name
