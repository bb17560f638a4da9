"""A standing member signs in through a real browser and sees the home page in Vietnamese."""

from __future__ import annotations

import pytest

from daihoi.core.models import Role
from daihoi.core.services.example import load_units
from tests.factories import PASSWORD, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _congress():
    from daihoi.core.services.example import load_congress

    load_units()
    load_congress()


def test_standing_member_signs_in_and_sees_vietnamese_home(page, live_server):
    _congress()
    member = make_user_with_role(Role.SUBCOMMITTEE_STANDING, full_name="Nguyễn Văn Phong")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(member.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "vi"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == (
        "Đại hội đại biểu lần thứ XVII Đảng bộ thành phố Hà Nội, nhiệm kỳ 2020–2025"
    )
    assert "Xin chào đồng chí Nguyễn Văn Phong" in page.content()
    assert page.get_by_role("link", name="Đơn vị").first.is_visible()
    # Every asset came from our own server, and the strict CSP produced no errors.
    assert not errors, errors


def test_wrong_password_shows_vietnamese_error(page, live_server):
    member = make_user_with_role(Role.DELEGATE)
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(member.username)
    page.get_by_label("Mật khẩu").fill("khong-dung")
    page.get_by_role("button", name="Đăng nhập").click()
    assert (
        page.get_by_role("alert")
        .first.inner_text()
        .startswith("Tên đăng nhập hoặc mật khẩu không đúng")
    )


def test_phone_layout_has_a_menu_button(page, live_server):
    _congress()
    member = make_user_with_role(Role.SUBCOMMITTEE_STANDING)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(member.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/")
    menu = page.get_by_role("button", name="Trình đơn")
    assert menu.is_visible()
    assert not page.locator("#site-nav").is_visible()
    menu.click()
    assert page.locator("#site-nav").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
