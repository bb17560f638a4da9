"""Site-wide request checks: security headers, expired sessions, two-factor, password change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
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
            and self.blocks(user)
        ):
            return self.redirect(request)
        return self.get_response(request)


class TwoFactorRequiredMiddleware(_SignedInGate):
    """Admins and the counting board work only after a verified TOTP code."""

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


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese first: English only when the person chose it with the switch (the language
    cookie). The browser's Accept-Language is not followed, so an office PC set up in English
    still shows the Vietnamese screens."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
