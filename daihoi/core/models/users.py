from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    SUBCOMMITTEE_STANDING = "subcommittee_standing", _("Thường trực Tiểu ban")
    SUBCOMMITTEE_MEMBER = "subcommittee_member", _("Thành viên Tiểu ban")
    UNIT_LIAISON = "unit_liaison", _("Đầu mối đơn vị")
    ORGANISING_STAFF = "organising_staff", _("Cán bộ Ban Tổ chức")
    CREDENTIALS_COMMITTEE = "credentials_committee", _("Ban Thẩm tra tư cách đại biểu")
    COUNTING_BOARD = "counting_board", _("Ban Kiểm phiếu")
    CHECK_IN_STAFF = "check_in_staff", _("Cán bộ đón tiếp, điểm danh")
    PRESIDIUM = "presidium", _("Đoàn Chủ tịch")
    SECRETARIAT = "secretariat", _("Đoàn Thư ký")
    DELEGATE = "delegate", _("Đại biểu")
    PRESS = "press", _("Báo chí")
    MODERATOR = "moderator", _("Kiểm duyệt góp ý")


# Roles whose accounts must sign in with a second factor (TOTP).
TWO_FACTOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.COUNTING_BOARD})
# Roles that act for one unit and so need the unit named on the assignment.
UNIT_ROLES = frozenset({Role.UNIT_LIAISON})


class User(AbstractUser):
    """A person who signs in. Roles come from RoleAssignment rows, not from Django groups."""

    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    position = models.CharField(_("Chức vụ"), max_length=200, blank=True)
    must_change_password = models.BooleanField(_("Phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("Người dùng")
        verbose_name_plural = _("Người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @cached_property
    def liaison_unit_ids(self) -> frozenset[int]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(
            self.role_assignments.filter(role=Role.UNIT_LIAISON).values_list("unit_id", flat=True)
        )

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def requires_two_factor(self) -> bool:
        return self.is_superuser or bool(self.role_set & TWO_FACTOR_ROLES)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User,
        verbose_name=_("Người dùng"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("Vai trò"), max_length=40, choices=Role.choices)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField(_("Ngày giao"), auto_now_add=True)

    class Meta:
        verbose_name = _("Vai trò được giao")
        verbose_name_plural = _("Vai trò được giao")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True),
                name="role_assignment_unique_without_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.UNIT_LIAISON) | models.Q(unit__isnull=False),
                name="role_liaison_needs_unit",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{self.user} — {label}" + (f" ({self.unit})" if self.unit_id else "")
