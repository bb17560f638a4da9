"""Template context shared by every page: the current congress and the navigation for the roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError
from django.urls import reverse
from django.utils.translation import gettext as _

from daihoi.core.middleware import hall_session
from daihoi.core.models import Congress
from daihoi.core.rules import sees_all_units


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    name: str


def _navigation(user, hall: bool = False) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if hall:  # a hall tablet's session only votes
        return [NavItem(_("Bỏ phiếu điện tử"), reverse("voting:list"), "voting")]
    items = [NavItem(_("Trang chủ"), reverse("home"), "home")]
    if user.has_perm("tasks.view_dashboard"):
        items.append(NavItem(_("Tổng hợp"), reverse("task_dashboard"), "dashboard"))
        items.append(NavItem(_("Nhiệm vụ"), reverse("task_list"), "tasks"))
    if sees_all_units(user):
        items.append(NavItem(_("Đơn vị"), reverse("unit_list"), "units"))
    elif user.liaison_unit_ids:
        items.append(NavItem(_("Đơn vị của tôi"), reverse("unit_list"), "units"))
    if user.has_perm("delegates.view_delegate_list"):
        items.append(NavItem(_("Đại biểu"), reverse("delegates:list"), "delegates"))
    elif user.has_perm("delegates.view_groups"):
        items.append(NavItem(_("Tổ đại biểu"), reverse("delegates:groups"), "delegates"))
    if user.has_perm("delegates.view_check_in_counter"):
        items.append(NavItem(_("Điểm danh"), reverse("delegates:sessions"), "checkin"))
    if user.has_perm("elections.view") or user.has_perm("elections.count"):
        items.append(NavItem(_("Bầu cử"), reverse("elections:list"), "elections"))
    if user.has_perm("voting.watch"):
        items.append(NavItem(_("Bỏ phiếu điện tử"), reverse("voting:list"), "voting"))
    if user.has_perm("bodies.view"):
        items.append(NavItem(_("Biểu quyết"), reverse("bodies:votes"), "bodies"))
    if user.has_perm("programme.view"):
        items.append(NavItem(_("Chương trình"), reverse("programme:agenda"), "programme"))
    if user.has_perm("consultation.manage_drafts"):
        items.append(
            NavItem(_("Dự thảo, tin bài"), reverse("consultation:draft_admin_list"), "drafts")
        )
    if user.has_perm("consultation.moderate"):
        items.append(
            NavItem(_("Kiểm duyệt góp ý"), reverse("consultation:moderation"), "moderation")
        )
    if user.has_perm("consultation.synthesize"):
        items.append(
            NavItem(_("Tổng hợp ý kiến"), reverse("consultation:synthesis_drafts"), "synthesis")
        )
    if user.has_perm("documents.view_document"):
        items.append(NavItem(_("Văn bản"), reverse("documents:list"), "documents"))
    unread = user.notifications.filter(read_at__isnull=True).count()
    label = _("Thông báo") + (f" ({unread})" if unread else "")
    items.append(NavItem(label, reverse("notification_list"), "notifications"))
    if user.has_perm("audit.view_entries"):
        items.append(NavItem(_("Nhật ký"), reverse("audit_list"), "audit"))
    if user.has_perm("core.manage_users"):
        items.append(NavItem(_("Tài khoản"), reverse("user_list"), "users"))
        items.append(NavItem(_("Quản trị Django"), reverse("admin:index"), "admin"))
    return items


def congress_and_navigation(request) -> dict:
    user = getattr(request, "user", None)
    try:
        congress = Congress.objects.filter(is_current=True).first()
    except DatabaseError:
        congress = None  # error pages must still render when the database is down
    return {
        "current_congress": congress,
        "navigation": _navigation(user, hall_session(request) is not None)
        if user is not None
        else [],
        "active_nav": getattr(request, "active_nav", ""),
    }
