"""The congress programme (chương trình đại hội): items in each session, and the chair's lines
per kind of step (kịch bản). Sessions are daihoi.delegates' Session rows. Slim models only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    OPENING = "opening", _("Khai mạc")
    REPORT = "report", _("Trình bày báo cáo")
    SPEECH = "speech", _("Phát biểu")
    DISCUSSION = "discussion", _("Thảo luận")
    VOTE = "vote", _("Biểu quyết (giơ thẻ)")
    ELECTION = "election", _("Bầu cử")
    CLOSING = "closing", _("Bế mạc")
    OTHER = "other", _("Khác")


class ProgrammeItem(models.Model):
    """One step of a session, in the order the chair runs it."""

    session = models.ForeignKey(
        "delegates.Session", verbose_name=_("Phiên họp"), on_delete=models.CASCADE,
        related_name="programme_items",
    )  # fmt: skip
    order = models.PositiveIntegerField(_("Thứ tự"))
    starts_at = models.TimeField(_("Thời gian"), null=True, blank=True)
    title = models.CharField(_("Nội dung"), max_length=300)
    presenter = models.CharField(_("Người trình bày"), max_length=200, blank=True)
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("Văn bản trình bày"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="programme_items",
    )  # fmt: skip
    kind = models.CharField(
        _("Loại nội dung"), max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER
    )
    vote_motion = models.TextField(
        _("Nội dung biểu quyết"), blank=True,
        help_text=_("Điều chủ tọa đề nghị Đại hội nhất trí, ví dụ: thông qua Chương trình làm việc của Đại hội"),  # noqa: E501
    )  # fmt: skip

    class Meta:
        verbose_name = _("Nội dung chương trình")
        verbose_name_plural = _("Nội dung chương trình")
        ordering = ["session__starts_at", "session_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "order"], name="programme_item_unique_order"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ItemKind.values), name="programme_item_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class ScriptTemplate(models.Model):
    """The chair's (or counting board's) lines for one kind of step, one line per line of text.

    `{motion}` stands for the item's motion (or its title); a line "Ban kiểm phiếu: ..." names who
    says it, a line without such a prefix is said by the chair."""

    kind = models.CharField(
        _("Loại nội dung"), max_length=20, choices=ItemKind.choices, unique=True
    )
    lines = models.TextField(_("Lời điều hành"), blank=True)
    updated_at = models.DateTimeField(_("Sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Mẫu lời điều hành")
        verbose_name_plural = _("Mẫu lời điều hành")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()
