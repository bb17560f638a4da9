"""Site-wide request checks: security headers, expired sessions, two-factor, password change."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# Pages reachable before the second factor or the password change is done.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/tai-khoan/")

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
# Django's admin still sets a few inline styles.
_CSP_ADMIN = _CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        csp = _CSP_ADMIN if request.path.startswith("/admin/") else _CSP
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), microphone=()")
        return response


class SessionExpiredMiddleware:
    """Tell a person whose session ran out why they are back at the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        had_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        if (
            had_cookie
            and not request.user.is_authenticated
            and request.session.is_empty()
            and not request.path.startswith(("/static/", "/healthz"))
        ):
            messages.warning(
                request, _("Phiên làm việc đã hết hạn. Đề nghị đồng chí đăng nhập lại.")
            )
        return self.get_response(request)


# A hall session: a delegate signed in on one of the hall's tablets by the badge QR or a one-time
# code (daihoi/delegates/services/hall_signin.py). It may only list, see and cast votes and sign
# out, whatever roles the account holds, so it never needs (and never gets) the second factor.
# It ends after HALL_IDLE_SECONDS without a tap (the counters' polling does not count) or when
# the day ends.
HALL_SESSION_KEY = "daihoi_hall"
HALL_IDLE_SECONDS = 15 * 60
_HALL_VIEWS = {
    "voting:list": ("GET", "HEAD"),
    "voting:detail": ("GET", "HEAD"),
    "voting:cast": ("POST",),
    "voting:figures": ("GET", "HEAD"),
    "hall:signin": ("GET", "HEAD", "POST"),
    "hall:signout": ("POST",),
    "set_language": ("POST",),
}
_HALL_PASSIVE = frozenset({"voting:figures"})


def hall_session(request) -> dict | None:
    """The hall session's record ({"delegate", "method", "last", "day"}), or None."""
    session = getattr(request, "session", None)
    return session.get(HALL_SESSION_KEY) if session is not None else None


def hall_expired(hall: dict, now: float | None = None) -> str | None:
    """Why a hall session has ended ("idle", "day_end"), or None while it runs. Anything that
    answers a hall session outside this middleware (voting's hot path) must ask it too."""
    if hall.get("day") != timezone.localdate().isoformat():
        return "day_end"
    if (now or time.time()) - hall.get("last", 0) > HALL_IDLE_SECONDS:
        return "idle"
    return None


def _hall_gate(request, get_response):
    hall = hall_session(request)
    now = time.time()
    reason = hall_expired(hall, now)
    if reason is not None:
        from daihoi.audit.services import record

        record(request.user, "hall.signed_out", request.user,
               {"delegate": hall.get("delegate"), "reason": reason})  # fmt: skip
        logout(request)
        messages.info(
            request, _("Phiên biểu quyết trên máy đã hết hạn. Mời đồng chí đăng nhập lại.")
        )
        return redirect("hall:signin")
    if request.path.startswith(("/static/", "/healthz")):
        return get_response(request)
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        name = ""
    if name == "logout" and request.method == "POST":
        # The header's sign-out button: end the hall session the tablet's way (307 keeps the POST).
        return HttpResponse(status=307, headers={"Location": reverse("hall:signout")})
    if request.method not in _HALL_VIEWS.get(name, ()):
        messages.warning(request, _("Máy tính bảng hội trường chỉ dùng để biểu quyết."))
        return redirect("voting:list")
    if name not in _HALL_PASSIVE:
        hall["last"] = now
        request.session.modified = True
    return get_response(request)


class _SignedInGate:
    """Sends a signed-in user to one page until a condition is met; the account pages, static
    files and the health check stay open so the user can meet it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def blocks(self, user) -> bool:
        raise NotImplementedError

    def redirect(self, request):
        raise NotImplementedError

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and hall_session(request) is None
            and self.blocks(user)
        ):
            return self.redirect(request)
        return self.get_response(request)


class TwoFactorRequiredMiddleware(_SignedInGate):
    """Admins and the counting board work only after a verified TOTP code. A hall session is held
    to the voting pages instead (stricter than the second factor), see `_hall_gate`."""

    def __call__(self, request):
        if request.user.is_authenticated and hall_session(request) is not None:
            return _hall_gate(request, self.get_response)
        return super().__call__(request)

    def blocks(self, user) -> bool:
        return user.requires_two_factor and not user.is_verified()

    def redirect(self, request):
        return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")


class PasswordChangeRequiredMiddleware(_SignedInGate):
    """After an admin reset, the user must choose a new password before anything else."""

    def blocks(self, user) -> bool:
        return user.must_change_password

    def redirect(self, request):
        messages.warning(
            request, _("Mật khẩu của đồng chí vừa được đặt lại; hãy đặt mật khẩu mới.")
        )
        return redirect("password_change")


def chosen_language(request) -> str:
    """The language the person chose with the switch (its cookie), else Vietnamese."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese first: English only when the person chose it with the switch (the language
    cookie). The browser's Accept-Language is not followed, so an office PC set up in English
    still shows the Vietnamese screens."""

    def process_request(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
