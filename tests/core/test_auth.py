"""Sign-in: Vietnamese messages, lockout, two-factor for admins and the counting board, resets."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_sign_in_page_is_vietnamese(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Đăng nhập" in page.text and "Tên đăng nhập" in page.text and "Mật khẩu" in page.text
    assert 'lang="vi"' in page.text


def test_successful_sign_in_lands_on_home_and_is_audited(client, role_user):
    user = role_user(Role.SUBCOMMITTEE_STANDING)
    response = _login(client, user.username)
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "Thường trực Tiểu ban" in home.text
    assert AuditEntry.objects.filter(action="auth.login", actor=user).exists()


def test_wrong_password_gives_vietnamese_message(client, role_user):
    user = role_user(Role.DELEGATE)
    response = _login(client, user.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    failed = AuditEntry.objects.filter(action="auth.login_failed").latest("seq")
    assert failed.payload == {"username": user.username}


def test_lockout_after_repeated_failures(client, role_user, settings):
    user = role_user(Role.DELEGATE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "sai-mat-khau")
    locked = _login(client, user.username)  # even the right password is refused now
    assert locked.status_code == 429
    assert "Tài khoản tạm khóa" in locked.text
    assert not client.session.get("_auth_user_id")


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.COUNTING_BOARD])
def test_two_factor_enrolment_is_required(client, role_user, role):
    user = role_user(role)
    _login(client, user.username)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))
    page = client.get(response.url)
    assert "Xác thực hai bước" in page.text and "data:image/svg+xml" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("two_factor"), {"token": "000000"})
    assert "Mã xác thực không đúng" in wrong.text or "Nhập sai quá nhiều" in wrong.text
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(reverse("two_factor"), {"token": _current_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="auth.two_factor_enrolled", actor=user).exists()


def test_admin_site_needs_the_second_factor_too(client, role_user):
    admin = role_user(Role.SYSTEM_ADMIN)
    _login(client, admin.username)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))


def test_other_roles_need_no_second_factor(client, role_user):
    user = role_user(Role.PRESIDIUM)
    _login(client, user.username)
    assert client.get(reverse("home")).status_code == 200


def test_admin_resets_a_password_and_the_user_must_change_it(client, role_user):
    admin = role_user(Role.SYSTEM_ADMIN)
    target = role_user(Role.DELEGATE)
    client.force_login(admin)
    session = client.session
    device = TOTPDevice.objects.create(user=admin, name="t", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    page = client.post(reverse("user_reset_password", args=[target.pk]))
    assert page.status_code == 200
    temporary = page.context["temporary"]
    assert AuditEntry.objects.filter(
        action="user.password_reset", target_id=str(target.pk)
    ).exists()

    client.logout()
    assert _login(client, target.username).status_code == 200  # old password no longer works
    _login(client, target.username, temporary)
    forced = client.get(reverse("home"))
    assert forced.status_code == 302 and forced.url == reverse("password_change")
    new_password = "mot-mat-khau-moi-2020"
    done = client.post(
        reverse("password_change"),
        {"old_password": temporary, "new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_expired_session_is_explained(client, role_user):
    user = role_user(Role.DELEGATE)
    _login(client, user.username)
    client.session.flush()  # the server forgot the session, the browser still sends its cookie
    client.cookies["sessionid"] = "het-han-khong-con-hop-le"
    response = client.get(reverse("home"), follow=True)
    assert "Phiên làm việc đã hết hạn" in response.text


def test_vietnamese_whatever_the_browser_language(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in page.text and 'lang="vi"' in page.text


def test_english_switch(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert "Sign in" in client.get(reverse("login")).text


def test_logout_is_post_only_and_works(client, role_user):
    user = role_user(Role.DELEGATE)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
