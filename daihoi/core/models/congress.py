from django.db import models
from django.utils.translation import gettext_lazy as _


class CongressLevel(models.TextChoices):
    NATIONAL = "national", _("Toàn quốc")
    PROVINCE = "province", _("Tỉnh, thành phố trực thuộc Trung ương")
    DISTRICT = "district", _("Quận, huyện, thị xã và tương đương")
    GRASSROOTS = "grassroots", _("Cơ sở")


class Congress(models.Model):
    """Đại hội đại biểu Đảng bộ … lần thứ … nhiệm kỳ …: the record that ties everything together."""

    party_organisation = models.CharField(
        _("Đảng bộ"), max_length=200, help_text=_("Ví dụ: Đảng bộ thành phố Hà Nội")
    )
    level = models.CharField(_("Cấp"), max_length=20, choices=CongressLevel.choices)
    ordinal = models.PositiveSmallIntegerField(_("Lần thứ"))
    term_start = models.PositiveSmallIntegerField(_("Nhiệm kỳ từ năm"))
    term_end = models.PositiveSmallIntegerField(_("Nhiệm kỳ đến năm"))
    start_date = models.DateField(_("Ngày khai mạc"), null=True, blank=True)
    end_date = models.DateField(_("Ngày bế mạc"), null=True, blank=True)
    venue = models.CharField(_("Địa điểm"), max_length=300, blank=True)
    convening_committee = models.ForeignKey(
        "core.Unit",
        verbose_name=_("Cấp ủy triệu tập"),
        on_delete=models.PROTECT,
        related_name="convened_congresses",
    )
    is_current = models.BooleanField(_("Đại hội đang làm việc"), default=False)

    class Meta:
        verbose_name = _("Đại hội")
        verbose_name_plural = _("Đại hội")
        constraints = [
            models.UniqueConstraint(
                fields=["party_organisation", "ordinal"], name="congress_unique_ordinal"
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="congress_single_current",
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")),
                name="congress_term_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ordinal_roman(self) -> str:
        from daihoi.vietnamese import to_roman

        return to_roman(self.ordinal)

    @property
    def term(self) -> str:
        return f"{self.term_start}–{self.term_end}"

    @property
    def title(self) -> str:
        return (
            f"Đại hội đại biểu lần thứ {self.ordinal_roman} {self.party_organisation}, "
            f"nhiệm kỳ {self.term}"
        )
