"""Sign-in, two-factor, password change, and the admin's account list."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from daihoi.audit.services import record
from daihoi.core.forms import LoginForm, TokenForm
from daihoi.core.models import User
from daihoi.core.services import users as user_services
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import PagePermissionMixin, require_perm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request, default: str = "home") -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _qr_data_uri(text: str) -> str:
    svg = segno.make(text, error="m").svg_inline(scale=5)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def two_factor(request):
    """Verify a TOTP code; enrol a device first if the user has none."""
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Nhập sai quá nhiều lần; hãy chờ một lát rồi thử lại."))
        elif device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record(user, "auth.two_factor_enrolled", user, {"device": device.pk})
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            record(user, "auth.two_factor_failed", user, {})
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request, "")}
    if enrolling:
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        context.update(secret=secret, qr=_qr_data_uri(device.config_url))
    return render(request, "accounts/two_factor.html", context)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_services.change_own_password(request.user, form.cleaned_data["new_password1"])
        except ServiceError as exc:
            form.add_error("new_password1", exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


class UserListView(PagePermissionMixin, ListView):
    permission = "core.manage_users"
    template_name = "accounts/user_list.html"
    paginate_by = 100

    def get_queryset(self):
        self.request.active_nav = "users"
        return (
            User.objects.order_by("username")
            .prefetch_related("role_assignments__unit")
            .only("username", "full_name", "is_active", "last_login", "must_change_password")
        )


@require_POST
@require_perm("core.manage_users")
def user_reset_password(request, pk: int):
    target = get_object_or_404(User, pk=pk)
    try:
        temporary = user_services.reset_password(request.user, target)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("user_list")
    return render(
        request,
        "accounts/password_reset_done.html",
        {"target": target, "temporary": temporary},
    )


@require_POST
@require_perm("core.manage_users")
def user_reset_two_factor(request, pk: int):
    target = get_object_or_404(User, pk=pk)
    try:
        removed = user_services.reset_two_factor(request.user, target)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã xóa %(n)d thiết bị xác thực của %(user)s; lần đăng nhập sau sẽ đăng ký lại.")
            % {"n": removed, "user": target},
        )
    return redirect("user_list")
