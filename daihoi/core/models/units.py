from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PARTY_ORGAN = "party_organ", _("Cơ quan Đảng")
    STATE_DEPARTMENT = "state_department", _("Sở, ngành")
    MEDIA = "media", _("Cơ quan báo chí")
    SECURITY = "security", _("Công an, quân sự")
    MASS_ORGANISATION = "mass_organisation", _("Mặt trận, đoàn thể")
    DISTRICT = "district", _("Quận, huyện, thị ủy")
    GROUP = "group", _("Nhóm đơn vị")


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "UnitQuerySet":
        """Units a user may see: all for congress-wide roles, their own for a liaison."""
        from daihoi.core.rules import sees_all_units

        if sees_all_units(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=user.liaison_unit_ids)


class Unit(models.Model):
    """Đơn vị, cơ quan: a body that receives tasks, sends delegates or signs documents."""

    name = models.CharField(_("Tên đầy đủ"), max_length=200, unique=True)
    short_name = models.CharField(_("Tên ngắn"), max_length=100, blank=True)
    acronym = models.CharField(_("Ký hiệu viết tắt"), max_length=30, blank=True)
    kind = models.CharField(_("Loại"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(
        _("Tên gọi khác"),
        default=list,
        blank=True,
        help_text=_("Các cách viết dùng để nhận ra đơn vị trong văn bản, ví dụ «BTG Thành ủy»."),
    )
    email = models.EmailField(_("Thư điện tử"), blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("Đơn vị")
        verbose_name_plural = _("Đơn vị")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
