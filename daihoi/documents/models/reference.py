"""Reference tables kept as data (Hướng dẫn 36-HD/VPTW): document types and issuers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.Model):
    """Thể loại văn bản: TB Thông báo, KH Kế hoạch, QĐ Quyết định, ..."""

    code = models.CharField(_("Ký hiệu"), max_length=10, unique=True)
    name = models.CharField(_("Tên thể loại"), max_length=100)
    party = models.BooleanField(_("Dùng trong văn bản Đảng"), default=True)
    state = models.BooleanField(_("Dùng trong văn bản Nhà nước"), default=False)

    class Meta:
        verbose_name = _("Thể loại văn bản")
        verbose_name_plural = _("Thể loại văn bản")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Issuer(models.Model):
    """Cơ quan ban hành, by the acronym used after the slash: TU, VPTW, TBTCPV, ..."""

    code = models.CharField(_("Ký hiệu cơ quan"), max_length=20, unique=True)
    name = models.CharField(_("Tên cơ quan ban hành"), max_length=200)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issuers",
    )

    class Meta:
        verbose_name = _("Cơ quan ban hành")
        verbose_name_plural = _("Cơ quan ban hành")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
