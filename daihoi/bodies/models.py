"""Congress bodies (Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu) and the
show-of-hands votes (biểu quyết giơ thẻ) that approve them and everything else. Slim models:
the workflows are in daihoi.bodies.services. The counting board (Ban kiểm phiếu) lives in
daihoi.elections as CountingBoardMember and is not repeated here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    PRESIDIUM = "presidium", _("Đoàn Chủ tịch")
    SECRETARIAT = "secretariat", _("Đoàn Thư ký")
    CREDENTIALS_COMMITTEE = "credentials_committee", _("Ban Thẩm tra tư cách đại biểu")


class Position(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("position in a congress body", "Chủ trì")
    HEAD = "head", _("Trưởng đoàn / Trưởng ban")
    MEMBER = "member", _("Thành viên")


class Body(models.Model):
    """One body of the congress, proposed by the organisers and approved by show of hands."""

    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="bodies",
    )  # fmt: skip
    kind = models.CharField(_("Cơ quan"), max_length=30, choices=BodyKind.choices)
    proposed_at = models.DateTimeField(_("Đề xuất lúc"))
    approval = models.TextField(_("Biểu quyết thông qua"), blank=True)
    approved_at = models.DateTimeField(_("Thông qua lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Cơ quan giúp việc đại hội")
        verbose_name_plural = _("Cơ quan giúp việc đại hội")
        ordering = ["congress", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "kind"], name="body_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=BodyKind.values), name="body_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class BodyMember(models.Model):
    """A delegate on a body, in the order the congress reads the list."""

    body = models.ForeignKey(
        Body, verbose_name=_("Cơ quan"), on_delete=models.CASCADE, related_name="members"
    )
    delegate = models.ForeignKey(
        "delegates.Delegate", verbose_name=_("Đại biểu"), on_delete=models.PROTECT,
        related_name="body_seats",
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Tài khoản"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="body_seats",
    )  # fmt: skip
    position = models.CharField(
        _("Vị trí"), max_length=10, choices=Position.choices, default=Position.MEMBER
    )
    order = models.PositiveIntegerField(_("Thứ tự"))

    class Meta:
        verbose_name = _("Thành viên cơ quan")
        verbose_name_plural = _("Thành viên cơ quan")
        ordering = ["body", "order"]
        constraints = [
            models.UniqueConstraint(fields=["body", "delegate"], name="body_member_unique"),
            models.CheckConstraint(
                condition=models.Q(position__in=Position.values), name="body_member_position_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.delegate)


class ShowOfHandsVote(models.Model):
    """Biểu quyết (giơ thẻ): the counts the secretariat announces, judged against the base
    (cơ số, Quy định 24-QĐ/TW 9.3.1) as it stood when the vote was recorded."""

    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="show_of_hands_votes",
    )  # fmt: skip
    session = models.ForeignKey(
        "delegates.Session", verbose_name=_("Phiên họp"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="show_of_hands_votes",
    )  # fmt: skip
    motion = models.TextField(_("Nội dung biểu quyết"))
    agree = models.IntegerField(_("Tán thành"))
    disagree = models.IntegerField(_("Không tán thành"))
    abstain = models.IntegerField(_("Ý kiến khác"))
    unanimous = models.BooleanField(_("Nhất trí 100%"), default=False)
    base = models.IntegerField(_("Cơ số"))
    passed = models.BooleanField(_("Được thông qua"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người ghi"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("Ghi lúc"))

    class Meta:
        verbose_name = _("Biểu quyết giơ thẻ")
        verbose_name_plural = _("Biểu quyết giơ thẻ")
        ordering = ["congress", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agree__gte=0, disagree__gte=0, abstain__gte=0, base__gte=0),
                name="show_of_hands_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(unanimous=False) | models.Q(disagree=0, abstain=0),
                name="show_of_hands_unanimous_no_other",
            ),
        ]

    def __str__(self) -> str:
        return self.motion[:80]
