"""Voting by keyboard and screen reader alone: axe-core (bundled by axe-playwright-python) finds
no serious or critical violation on the vote list, a delegate's page of an open vote, the
projector and the hall tablet's sign-in page; a delegate Tabs to a choice, presses Enter or
Space, and the confirmation is in a live region; touch targets are at least 44 × 44 CSS pixels
on a 390-pixel-wide phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from daihoi.core.models import Role
from daihoi.delegates.models import Attendance, Badge, Session
from daihoi.delegates.services import hall_signin
from daihoi.voting import services as voting
from daihoi.voting.models import VoteCast
from tests.delegates.test_base import make
from tests.factories import CongressFactory, UnitFactory, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44


def _floor():
    congress = CongressFactory(convening_committee=UnitFactory(), is_current=True)
    session = Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official", starts_at=timezone.now()
    )
    delegates = []
    for i in range(3):
        account = make_user_with_role(Role.DELEGATE, full_name=f"Trần Thị Bình {i}")
        delegate = make(congress, f"Trần Thị Bình {i}", user=account)
        Attendance.objects.create(delegate=delegate, session=session, present_at=timezone.now())
        delegates.append(delegate)
    chair = make_user_with_role(Role.PRESIDIUM, full_name="Nguyễn Văn Chủ Tọa")
    return congress, delegates, chair


def _signed_in(browser, base: str, user, **options):
    """A browser context with the user's session cookie (signing in itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", **options)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])
    return context


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): " + "; ".join(", ".join(node["target"]) for node in v["nodes"])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation_on_the_voting_pages(browser, live_server):
    congress, delegates, chair = _floor()
    vote = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Quy chế"))
    closed = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Chương trình"))
    voting.cast(delegates[1].user, closed, "yes")
    voting.publish_vote(chair, voting.close_vote(chair, closed))  # the named list shows
    base = live_server.url
    found: dict[str, list[str]] = {}
    for user, paths in (
        (chair, ["/bieu-quyet/", f"/bieu-quyet/{vote.pk}/", f"/bieu-quyet/{vote.pk}/may-chieu/",
                 f"/bieu-quyet/{closed.pk}/may-chieu/"]),
        (delegates[0].user, ["/bieu-quyet/", f"/bieu-quyet/{vote.pk}/",
                             f"/bieu-quyet/{closed.pk}/", "/bieu-quyet/may-tinh-bang/ma-cua-toi/"]),
    ):  # fmt: skip
        for viewport in (PHONE, {"width": 1280, "height": 800}):
            context = _signed_in(browser, base, user, viewport=viewport)
            page = context.new_page()
            for path in paths:
                page.goto(base + path)
                found[f"{path} @{viewport['width']}"] = _serious(page)
            context.close()
    tablet = browser.new_context(locale="vi-VN", viewport={"width": 820, "height": 1180})
    page = tablet.new_page()
    page.goto(base + "/bieu-quyet/may-tinh-bang/")
    found["sign-in"] = _serious(page)
    page.get_by_label("Mã đăng nhập (8 ký tự)").fill("ABCD-EFGH")
    page.get_by_role("button", name="Đăng nhập để biểu quyết").click()
    page.get_by_role("alert").filter(has_text="Mã không đúng").wait_for()
    found["sign-in with an error"] = _serious(page)
    # Forget that failure, so runs in a row against one Redis never reach the tablet's limit.
    cache.delete(hall_signin._address_key("127.0.0.1"))
    cache.delete(hall_signin._code_key(hall_signin._hash("ABCDEFGH")))
    # The check itself works: a nameless button is a critical violation.
    page.set_content('<html lang="vi"><title>t</title><main><button></button></main></html>')
    assert any(v.startswith("button-name (critical)") for v in _serious(page))
    tablet.close()
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def test_a_delegate_votes_by_keyboard_alone_with_large_targets(browser, live_server):
    congress, delegates, chair = _floor()
    first = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Quy chế"))
    base = live_server.url
    context = _signed_in(browser, base, delegates[0].user, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{base}/bieu-quyet/{first.pk}/")
        buttons = page.locator(".vote-buttons button")
        assert buttons.count() == 3
        for i in range(3):
            box = buttons.nth(i).bounding_box()
            assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, box
        # Tab from the top of the page to "Tán thành"; Enter presses it.
        _tab_to(page, "yes")
        page.keyboard.press("Enter")
        # Announced in a status region: the script's answer without a reload, or the page's
        # message after the plain form's round trip.
        status = page.locator('[role="status"], [aria-live]').filter(has_text="Đã ghi nhận")
        status.first.wait_for()
        assert VoteCast.objects.get(vote=first).choice == "yes"
        assert "Tán thành" in page.locator(".vote-mine").inner_text()

        second = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Y"))
        page.goto(f"{base}/bieu-quyet/{second.pk}/")
        _tab_to(page, "no")
        page.keyboard.press("Space")
        page.locator('[role="status"], [aria-live]').filter(
            has_text="Không tán thành"
        ).first.wait_for()
        assert VoteCast.objects.get(vote=second).choice == "no"
    finally:
        context.close()


def test_the_tablet_pages_have_large_targets(browser, live_server):
    congress, delegates, chair = _floor()
    vote = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Quy chế"))
    Badge.objects.create(delegate=delegates[2], token="x" * 32, issued_at=timezone.now())
    desk = make_user_with_role(Role.CHECK_IN_STAFF)
    code = hall_signin.issue_code(desk, delegates[1]).code
    tablet = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = tablet.new_page()
    try:
        page.goto(live_server.url + "/bieu-quyet/may-tinh-bang/")
        for target in (
            page.get_by_role("button", name="Bật camera, đưa mã QR trên thẻ vào khung hình"),
            page.get_by_label("Mã đăng nhập (8 ký tự)"),
            page.get_by_role("button", name="Đăng nhập để biểu quyết"),
        ):
            box = target.bounding_box()
            assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, box
        page.get_by_label("Mã đăng nhập (8 ký tự)").fill(code)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/bieu-quyet/{vote.pk}/")
        assert _serious(page) == []
        done = page.get_by_role("button", name="Xong, trả máy").bounding_box()
        assert done["width"] >= MIN_TARGET and done["height"] >= MIN_TARGET
    finally:
        tablet.close()


def test_every_target_on_the_voting_pages_is_large_on_a_phone(browser, live_server):
    congress, delegates, chair = _floor()
    vote = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Quy chế"))
    base = live_server.url
    small: list[str] = []
    for user, paths in (
        (chair, ["/bieu-quyet/", f"/bieu-quyet/{vote.pk}/"]),
        (delegates[0].user, ["/bieu-quyet/", f"/bieu-quyet/{vote.pk}/",
                             "/bieu-quyet/may-tinh-bang/ma-cua-toi/"]),
        (None, ["/bieu-quyet/may-tinh-bang/"]),
    ):  # fmt: skip
        context = (
            _signed_in(browser, base, user, viewport=PHONE)
            if user
            else browser.new_context(locale="vi-VN", viewport=PHONE)
        )
        page = context.new_page()
        for path in paths:
            page.goto(base + path)
            small += [f"{path}: {t}" for t in page.evaluate(_SMALL_TARGETS, MIN_TARGET)]
        context.close()
    assert not small, small


# Visible links, buttons and fields in the page's main content smaller than the minimum.
_SMALL_TARGETS = """(min) => Array.from(document.querySelectorAll(
    "#main a[href], #main button, #main input:not([type=hidden]), #main textarea, #main select"))
  .filter((el) => el.offsetParent !== null)
  // A checkbox inside its label is pressed through the whole label.
  .map((el) => [el, (el.type === "checkbox" && el.closest("label") || el).getBoundingClientRect()])
  .filter(([el, box]) => box.width < min || box.height < min)
  .map(([el, box]) => `${el.outerHTML.slice(0, 80)} ${box.width | 0}×${box.height | 0}`)
"""


def _tab_to(page, value: str, limit: int = 60) -> None:
    for _i in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.value") == value:
            return
    raise AssertionError(f"Tab never reached the {value!r} button")
