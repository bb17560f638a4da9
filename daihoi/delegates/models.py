"""Delegates (đại biểu), congress sessions (phiên họp) and attendance: slim models only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")


class Category(models.TextChoices):
    EX_OFFICIO = "ex_officio", _("Đương nhiên")
    ELECTED = "elected", _("Được bầu")
    APPOINTED = "appointed", _("Chỉ định")
    RESERVE = "reserve", _("Dự khuyết")


OFFICIAL_CATEGORIES = (Category.EX_OFFICIO, Category.ELECTED, Category.APPOINTED)


class Status(models.TextChoices):
    ACTIVE = "active", _("Đang là đại biểu")
    WITHDRAWN = "withdrawn", _("Đã rút")


class Credentials(models.TextChoices):
    """The credentials committee's decision on one delegate (thẩm tra tư cách)."""

    PENDING = "pending", _("Chưa thẩm tra")
    QUALIFIED = "qualified", _("Đủ tư cách")
    NOT_QUALIFIED = "not_qualified", _("Không đủ tư cách")


class DelegateQuerySet(models.QuerySet):
    def visible_to(self, user) -> DelegateQuerySet:
        """Staff and the credentials committee see every delegate; a delegate only themself."""
        from daihoi.delegates.rules import sees_all_delegates

        if sees_all_delegates(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Delegate(models.Model):
    """Đại biểu: one person summoned to one congress."""

    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="delegates",
    )  # fmt: skip
    number = models.PositiveIntegerField(_("Số thứ tự đại biểu"))
    full_name = models.CharField(_("Họ và tên"), max_length=150)
    gender = models.CharField(_("Giới tính"), max_length=5, choices=Gender.choices)
    birth_date = models.DateField(_("Ngày sinh"))
    ethnicity = models.CharField(_("Dân tộc"), max_length=50, blank=True)
    religion = models.CharField(_("Tôn giáo"), max_length=50, blank=True)
    party_unit = models.ForeignKey(
        "core.Unit", verbose_name=_("Đảng bộ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="delegates",
    )  # fmt: skip
    party_unit_text = models.CharField(_("Đảng bộ (như ghi)"), max_length=200, blank=True)
    position = models.CharField(_("Chức vụ"), max_length=300, blank=True)
    education = models.CharField(_("Trình độ chuyên môn"), max_length=200, blank=True)
    political_theory = models.CharField(_("Lý luận chính trị"), max_length=100, blank=True)
    is_committee_member = models.BooleanField(_("Ủy viên BCH cấp triệu tập"), default=False)
    category = models.CharField(_("Loại đại biểu"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("Tình trạng"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    withdrawal_reason = models.TextField(_("Lý do rút"), blank=True)
    replaces = models.OneToOneField(
        "self", verbose_name=_("Thay cho đại biểu"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="replaced_by",
    )  # fmt: skip
    import_key = models.CharField(_("Khóa nhập"), max_length=250)
    photo = models.ImageField(_("Ảnh"), upload_to="delegate-photos/", blank=True)
    group = models.ForeignKey(
        "DelegateGroup", verbose_name=_("Tổ đại biểu"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )  # fmt: skip
    credentials = models.CharField(
        _("Thẩm tra tư cách"), max_length=20, choices=Credentials.choices,
        default=Credentials.PENDING,
    )  # fmt: skip
    credentials_reason = models.TextField(_("Lý do / ghi chú thẩm tra"), blank=True)
    credentials_decided_at = models.DateTimeField(_("Thẩm tra lúc"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Tài khoản"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="delegate_records",
    )  # fmt: skip
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày sửa"), auto_now=True)

    objects = DelegateQuerySet.as_manager()

    class Meta:
        verbose_name = _("Đại biểu")
        verbose_name_plural = _("Đại biểu")
        ordering = ["congress", "number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="delegate_unique_number"),
            models.UniqueConstraint(
                fields=["congress", "import_key"], name="delegate_unique_import_key"
            ),
            models.CheckConstraint(
                condition=models.Q(gender__in=Gender.values), name="delegate_gender_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="delegate_category_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="delegate_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(credentials__in=Credentials.values),
                name="delegate_credentials_valid",
            ),
            # Only a reserve delegate replaces someone.
            models.CheckConstraint(
                condition=models.Q(replaces__isnull=True) | models.Q(category=Category.RESERVE),
                name="delegate_only_reserve_replaces",
            ),
            models.CheckConstraint(
                condition=~models.Q(replaces=models.F("id")), name="delegate_not_self_replacing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.full_name}"

    @property
    def is_official(self) -> bool:
        return self.category in OFFICIAL_CATEGORIES


class CredentialComplaint(models.Model):
    """A complaint or denunciation about a delegate (đơn thư) and how the committee handled it."""

    delegate = models.ForeignKey(
        Delegate, verbose_name=_("Đại biểu"), on_delete=models.CASCADE,
        related_name="complaints",
    )  # fmt: skip
    received_on = models.DateField(_("Ngày nhận"))
    summary = models.TextField(_("Nội dung"))
    resolution = models.TextField(_("Kết quả xử lý"), blank=True)
    resolved_at = models.DateTimeField(_("Xử lý xong lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("Ngày ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("Đơn thư về đại biểu")
        verbose_name_plural = _("Đơn thư về đại biểu")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.delegate}: {self.summary[:60]}"


class DelegateGroup(models.Model):
    """Tổ đại biểu: delegates who discuss together, with a leader and a deputy."""

    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="delegate_groups",
    )  # fmt: skip
    number = models.PositiveIntegerField(_("Số tổ"))
    name = models.CharField(_("Tên tổ"), max_length=200, blank=True)
    leader = models.ForeignKey(
        Delegate, verbose_name=_("Tổ trưởng"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    deputy = models.ForeignKey(
        Delegate, verbose_name=_("Tổ phó"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("Tổ đại biểu")
        verbose_name_plural = _("Tổ đại biểu")
        ordering = ["congress", "number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="group_unique_number"),
            models.CheckConstraint(
                condition=models.Q(leader__isnull=True)
                | models.Q(deputy__isnull=True)
                | ~models.Q(leader=models.F("deputy")),
                name="group_leader_not_deputy",
            ),
        ]

    def __str__(self) -> str:
        return self.name or _("Tổ %(number)d") % {"number": self.number}


class Badge(models.Model):
    """Thẻ đại biểu: the printed card. Its QR code holds only the opaque token."""

    delegate = models.ForeignKey(
        Delegate, verbose_name=_("Đại biểu"), on_delete=models.CASCADE, related_name="badges"
    )
    token = models.CharField(_("Mã thẻ"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("Cấp lúc"))
    printed_count = models.PositiveIntegerField(_("Số lần in"), default=0)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)
    revoke_reason = models.TextField(_("Lý do thu hồi"), blank=True)

    class Meta:
        verbose_name = _("Thẻ đại biểu")
        verbose_name_plural = _("Thẻ đại biểu")
        constraints = [
            models.UniqueConstraint(
                fields=["delegate"],
                condition=models.Q(revoked_at__isnull=True),
                name="badge_one_valid_per_delegate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} ({self.token[:6]}…)"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class SessionKind(models.TextChoices):
    PREPARATORY = "preparatory", _("Phiên trù bị")
    OFFICIAL = "official", _("Phiên chính thức")


class Session(models.Model):
    """Phiên họp of the congress; attendance is taken per session."""

    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="sessions",
    )  # fmt: skip
    name = models.CharField(_("Tên phiên"), max_length=200)
    kind = models.CharField(_("Loại phiên"), max_length=20, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("Bắt đầu lúc"))

    class Meta:
        verbose_name = _("Phiên họp")
        verbose_name_plural = _("Phiên họp")
        ordering = ["congress", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="session_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CheckInMethod(models.TextChoices):
    QR = "qr", _("Quét mã QR")
    NAME = "name", _("Tìm theo tên")
    PAPER = "paper", _("Danh sách giấy")


class Attendance(models.Model):
    """A delegate was present at a session (one row per delegate per session).

    The idempotency key is the check-in device's own id for the scan: a scan sent again (a retry,
    or the offline queue syncing) finds its row and gets the same answer instead of a second row.
    """

    delegate = models.ForeignKey(
        Delegate, verbose_name=_("Đại biểu"), on_delete=models.CASCADE,
        related_name="attendances",
    )  # fmt: skip
    session = models.ForeignKey(
        Session, verbose_name=_("Phiên họp"), on_delete=models.CASCADE,
        related_name="attendances",
    )  # fmt: skip
    present_at = models.DateTimeField(_("Có mặt lúc"))
    method = models.CharField(
        _("Cách điểm danh"), max_length=10, choices=CheckInMethod.choices,
        default=CheckInMethod.PAPER,
    )  # fmt: skip
    idempotency_key = models.CharField(_("Mã lần quét"), max_length=64, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người ghi"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("Điểm danh")
        verbose_name_plural = _("Điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "session"], name="attendance_unique_delegate_session"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"], name="attendance_unique_idempotency_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} — {self.session}"


class AbsenceNote(models.Model):
    """Why a delegate is absent (vắng mặt), and whether for the whole congress."""

    delegate = models.ForeignKey(
        Delegate, verbose_name=_("Đại biểu"), on_delete=models.CASCADE,
        related_name="absence_notes",
    )  # fmt: skip
    reason = models.TextField(_("Lý do vắng mặt"))
    whole_congress = models.BooleanField(_("Vắng cả đại hội"), default=False)
    created_at = models.DateTimeField(_("Ngày ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("Lý do vắng mặt")
        verbose_name_plural = _("Lý do vắng mặt")

    def __str__(self) -> str:
        return f"{self.delegate}: {self.reason}"


class HallCode(models.Model):
    """Mã đăng nhập một lần: a short code that signs a delegate in on a hall tablet to vote.

    Only a keyed hash of the code is stored (services/hall_signin.py), so a copy of the
    database does not reveal live codes. A code works once, for ten minutes; issuing a new one
    cancels the delegate's earlier unused code.
    """

    delegate = models.ForeignKey(
        Delegate, verbose_name=_("Đại biểu"), on_delete=models.CASCADE,
        related_name="hall_codes",
    )  # fmt: skip
    code_hash = models.CharField(_("Mã băm của mã"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người cấp"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("Cấp lúc"))
    expires_at = models.DateTimeField(_("Hết hạn lúc"))
    used_at = models.DateTimeField(_("Đã dùng lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mã đăng nhập hội trường")
        verbose_name_plural = _("Mã đăng nhập hội trường")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.delegate} ({self.issued_at:%d/%m/%Y %H:%M})"
