"""Playwright (Python) driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright():
    if not CHROMIUM.exists():
        if os.environ.get("DAIHOI_REQUIRE_BROWSER"):
            pytest.fail(
                "Chromium is required (apt-get install chromium) but /usr/bin/chromium is missing"
            )
        pytest.skip("Chromium not installed: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the Django test client code that
    # the fixtures call from here is synchronous, which Django allows only with this flag.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def launch(playwright, *extra_args: str):
    """Debian's Chromium; extra switches for a test's own browser (e.g. a fake camera)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*ARGS, *extra_args])


def sign_in(page, base: str, username: str, lands: str | None = None) -> None:
    """The sign-in page as a person fills it (every test user has tests.factories.PASSWORD);
    waits for the page it lands on (the home page unless said)."""
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lands or base + "/")


@pytest.fixture(scope="session")
def browser(playwright):
    browser = launch(playwright)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()
