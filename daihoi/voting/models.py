"""Open electronic votes (bỏ phiếu điện tử công khai): named, not secret; one vote per delegate,
enforced by the database. Slim models; the state machine lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VoteState(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    OPEN = "open", _("Đang biểu quyết")
    CLOSED = "closed", _("Đã kết thúc")
    PUBLISHED = "published", _("Đã công bố danh sách")


class Choice(models.TextChoices):
    YES = "yes", _("Tán thành")
    NO = "no", _("Không tán thành")
    ABSTAIN = "abstain", _("Ý kiến khác")


class OpenVote(models.Model):
    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="open_votes",
    )  # fmt: skip
    motion = models.TextField(_("Nội dung biểu quyết"))
    state = models.CharField(
        _("Trạng thái"), max_length=12, choices=VoteState.choices, default=VoteState.NOT_STARTED
    )
    allow_change = models.BooleanField(_("Cho phép đổi ý trước khi kết thúc"), default=False)
    base = models.PositiveIntegerField(_("Cơ số tính quá nửa"), null=True, blank=True)
    final_counts = models.JSONField(_("Kết quả"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người tạo"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    opened_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("Công bố lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Biểu quyết điện tử")
        verbose_name_plural = _("Biểu quyết điện tử")
        ordering = ["congress", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=VoteState.values), name="openvote_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.motion[:80]


class VoteCast(models.Model):
    """One delegate's recorded vote; the unique constraint is what stops a second vote."""

    vote = models.ForeignKey(
        OpenVote, verbose_name=_("Biểu quyết"), on_delete=models.CASCADE, related_name="casts"
    )
    delegate = models.ForeignKey(
        "delegates.Delegate", verbose_name=_("Đại biểu"), on_delete=models.PROTECT,
        related_name="open_votes_cast",
    )  # fmt: skip
    choice = models.CharField(_("Lựa chọn"), max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(_("Bỏ phiếu lúc"))
    changed_at = models.DateTimeField(_("Đổi ý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Phiếu biểu quyết")
        verbose_name_plural = _("Phiếu biểu quyết")
        constraints = [
            models.UniqueConstraint(fields=["vote", "delegate"], name="votecast_one_per_delegate"),
            models.CheckConstraint(
                condition=models.Q(choice__in=Choice.values), name="votecast_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate}: {self.choice}"
