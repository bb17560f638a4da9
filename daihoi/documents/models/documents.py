"""A register record (sổ đăng ký văn bản): one document with its number-symbol and attachments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentSystem(models.TextChoices):
    PARTY = "party", _("Văn bản Đảng")  # 2682-TB/TU
    STATE = "state", _("Văn bản Nhà nước")  # 42/2014/QĐ-TTg


class Secrecy(models.TextChoices):
    NONE = "", _("Không")
    CONFIDENTIAL = "mat", _("Mật")
    SECRET = "toi_mat", _("Tối mật")
    TOP_SECRET = "tuyet_mat", _("Tuyệt mật")


class Urgency(models.TextChoices):
    NONE = "", _("Không")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    FLASH = "hoa_toc", _("Hỏa tốc")


class SignerCapacity(models.TextChoices):
    NONE = "", _("Ký trực tiếp")
    ON_BEHALF = "TM.", _("TM. (thay mặt)")
    DEPUTY = "KT.", _("KT. (ký thay)")
    BY_ORDER = "T/L.", _("T/L. (thừa lệnh)")
    AUTHORISED = "T/U.", _("T/U. (thừa ủy quyền)")


class Document(models.Model):
    congress = models.ForeignKey(
        "core.Congress",
        verbose_name=_("Đại hội"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    system = models.CharField(
        _("Hệ thống văn bản"), max_length=10, choices=DocumentSystem.choices, default="party"
    )
    symbol = models.CharField(_("Số, ký hiệu"), max_length=60)
    number = models.PositiveIntegerField(_("Số"))
    doc_type = models.ForeignKey(
        "documents.DocumentType", verbose_name=_("Thể loại"), on_delete=models.PROTECT
    )
    issuer = models.ForeignKey(
        "documents.Issuer",
        verbose_name=_("Cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    issuer_code = models.CharField(_("Ký hiệu cơ quan ban hành"), max_length=30)
    term = models.CharField(_("Nhiệm kỳ"), max_length=20, blank=True)
    in_congress = models.BooleanField(
        _("Ban hành trong đại hội"),
        default=False,
        help_text=_("Từ phiên trù bị đến bế mạc: đại hội và các đoàn dùng chung một dãy số."),
    )
    date = models.DateField(_("Ngày ban hành"))
    place = models.CharField(_("Địa danh"), max_length=100, default="Hà Nội")
    summary = models.TextField(_("Trích yếu"))
    signer = models.CharField(_("Người ký"), max_length=150, blank=True)
    signer_capacity = models.CharField(
        _("Thẩm quyền ký"), max_length=5, choices=SignerCapacity.choices, blank=True
    )
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("Nơi nhận"), blank=True)
    secrecy = models.CharField(_("Độ mật"), max_length=10, choices=Secrecy.choices, blank=True)
    urgency = models.CharField(_("Độ khẩn"), max_length=12, choices=Urgency.choices, blank=True)
    body = models.TextField(_("Nội dung (văn bản thuần)"), blank=True)
    links = models.ManyToManyField(
        "self", through="documents.DocumentLink", symmetrical=False, related_name="linked_from"
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Văn bản")
        verbose_name_plural = _("Văn bản")
        ordering = ["-date", "-number"]
        indexes = [
            models.Index(fields=["issuer_code", "doc_type", "term"]),
            models.Index(fields=["symbol"]),
        ]
        constraints = [
            # Numbering restarts each committee term, so a symbol repeats across terms.
            models.UniqueConstraint(fields=["symbol", "term"], name="document_symbol_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.summary[:80]}"


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Triển khai thực hiện")
    CITES = "cites", _("Dẫn chiếu")
    REPLACES = "replaces", _("Thay thế")
    REPORTS_ON = "reports_on", _("Báo cáo về")


class DocumentLink(models.Model):
    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="incoming_links")
    kind = models.CharField(_("Quan hệ"), max_length=20, choices=LinkKind.choices)

    class Meta:
        verbose_name = _("Liên kết văn bản")
        verbose_name_plural = _("Liên kết văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="document_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="document_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.symbol} → {self.target.symbol} ({self.get_kind_display()})"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"documents/{instance.document_id}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Tệp"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("Tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("Kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("Dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Tệp đính kèm")
        verbose_name_plural = _("Tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name
