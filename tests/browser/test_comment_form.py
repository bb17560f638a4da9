"""A citizen on a 390 px phone: reads the table of contents, jumps to a section, comments on a
paragraph ("Góp ý đoạn này") and gets the reference number; a comment with <script> and
<img onerror> is stored as typed and shown escaped with no script running; axe-core finds no
serious or critical violation on the reading page and the form."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from daihoi.consultation import captcha
from daihoi.consultation.models import Comment
from daihoi.consultation.services import intake
from daihoi.core.models import Role
from tests.consultation.test_drafts import PARTY_TEXT, make_open_draft
from tests.factories import CongressFactory, UnitFactory, forget_cached, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
XSS = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">'


@pytest.fixture
def draft(db):
    forget_cached("gy:")  # rate limits and captchas
    intake.forget_sections()
    staff = make_user_with_role(Role.ORGANISING_STAFF)
    congress = CongressFactory(convening_committee=UnitFactory(), is_current=True)
    return make_open_draft(staff, congress, PARTY_TEXT)[0]


def _solve_captcha(page) -> None:
    key = page.locator("input[name=captcha_key]").input_value()
    page.get_by_label("Mã xác nhận").fill(captcha.answer_for(key).lower())


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): " + "; ".join(", ".join(n["target"]) for n in v["nodes"])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_citizen_on_a_phone_comments_on_a_paragraph(browser, live_server, draft):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{live_server.url}/du-thao/{draft.pk}/")
        # The table of contents is folded on a phone; open it and jump to "1.1".
        toc = page.get_by_role("navigation", name="Mục lục")
        toc.get_by_text("Mục lục").click()
        toc.get_by_role("link", name="1.1. Công nghiệp").click()
        page.wait_for_url("**#muc-*")
        heading = page.get_by_role("heading", name="1.1. Công nghiệp")
        assert heading.is_visible()
        assert not toc.get_by_role("link", name="1.1. Công nghiệp").is_visible()  # folded again
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < PHONE["height"]

        page.get_by_role("link", name="Góp ý đoạn 1, mục 1.1").click()
        form = page.locator("form.comment-form")
        section = page.get_by_label("Góp ý cho mục")
        assert "Công nghiệp" in section.locator("option:checked").inner_text()
        assert page.get_by_label("Đoạn số").input_value() == "1"
        page.get_by_label("Họ và tên").fill("Nguyễn Thị Mai")
        page.get_by_label("Điện thoại").fill("0912 345 678")
        page.get_by_label("Tiêu đề").fill("Về công nghiệp công nghệ cao")
        page.get_by_label("Nội dung góp ý").fill("Đề nghị nêu rõ các khu công nghệ cao sẽ mở.")
        _solve_captcha(page)
        form.get_by_role("button", name="Gửi góp ý").click()
        page.wait_for_url("**/gop-y/da-nhan/**")
        reference = page.locator("#reference").inner_text()
        comment = Comment.objects.get(reference=reference)
        assert (comment.section.number, comment.paragraph.number) == ("1.1", 1)
        assert comment.name == "Nguyễn Thị Mai" and comment.phone == "0912345678"
        assert page.get_by_text("Cảm ơn Quý vị đã gửi góp ý").is_visible()
    finally:
        context.close()
    assert dialogs == []


def test_html_in_a_comment_is_shown_escaped_and_never_runs(browser, live_server, draft):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{live_server.url}/du-thao/{draft.pk}/gop-y/")
        page.get_by_label("Họ và tên").fill('<b onmouseover="alert(1)">Kẻ thử</b>')
        page.get_by_label("Tiêu đề").fill(XSS)
        page.get_by_label("Nội dung góp ý").fill(XSS + "\nalert('x')")
        _solve_captcha(page)
        page.get_by_role("button", name="Gửi góp ý").click()
        page.wait_for_url("**/gop-y/da-nhan/**")
        reference = page.locator("#reference").inner_text()
        assert Comment.objects.get(reference=reference).content.startswith(XSS)
        content = page.locator(".comment-content")
        assert XSS in content.inner_text()  # the markup is shown as text
        assert page.locator(".comment-content script, .comment-content img").count() == 0
        assert page.evaluate("typeof window.pwned") == "undefined"
    finally:
        context.close()
    assert dialogs == []


def test_wrong_captcha_keeps_the_text_and_refresh_gives_a_new_image(browser, live_server, draft):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/du-thao/{draft.pk}/gop-y/")
        page.get_by_label("Họ và tên").fill("Trần Văn Hùng")
        page.get_by_label("Tiêu đề").fill("Ý kiến")
        page.get_by_label("Nội dung góp ý").fill("Nội dung của tôi.")
        page.get_by_label("Mã xác nhận").fill("SAI00")
        page.get_by_role("button", name="Gửi góp ý").click()
        page.get_by_role("alert").filter(has_text="Mã xác nhận không đúng").wait_for()
        assert page.get_by_label("Nội dung góp ý").input_value() == "Nội dung của tôi."
        old_key = page.locator("input[name=captcha_key]").input_value()
        page.get_by_role("button", name="Đổi mã khác").click()
        page.wait_for_function(
            "old => document.querySelector('input[name=captcha_key]').value !== old", arg=old_key
        )
        _solve_captcha(page)
        page.get_by_role("button", name="Gửi góp ý").click()
        page.wait_for_url("**/gop-y/da-nhan/**")
        assert Comment.objects.count() == 1
    finally:
        context.close()


def test_axe_finds_no_serious_violation_on_the_reading_page_and_the_form(
    browser, live_server, draft
):
    found: dict[str, list[str]] = {}
    for viewport in (PHONE, {"width": 1280, "height": 800}):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        for path in (f"/du-thao/{draft.pk}/", f"/du-thao/{draft.pk}/gop-y/", "/du-thao/"):
            page.goto(live_server.url + path)
            found[f"{path} @{viewport['width']}"] = _serious(page)
        # The form shown again with errors.
        page.goto(f"{live_server.url}/du-thao/{draft.pk}/gop-y/")
        page.get_by_role("button", name="Gửi góp ý").click()
        page.get_by_role("alert").first.wait_for()
        found[f"errors @{viewport['width']}"] = _serious(page)
        context.close()
    assert not any(found.values()), {k: v for k, v in found.items() if v}
