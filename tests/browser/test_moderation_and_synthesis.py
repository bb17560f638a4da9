"""In Chromium: the "select the whole page" box and a bulk hide in the moderation queue, and the
job panel that polls while a synthesis runs and reloads the page when it ends (strict CSP: the
page's own scripts only)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from daihoi.consultation.models import Comment, CommentStatus, JobStatus, SynthesisJob
from daihoi.core.models import Role
from tests.browser.conftest import sign_in
from tests.consultation.factories import make_comment, make_draft, sections_of
from tests.factories import make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(browser, live_server):
    moderator = make_user_with_role(Role.MODERATOR)
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, live_server.url, moderator.username)
    yield page, live_server.url, moderator, errors
    context.close()


def test_select_all_and_hide_the_page(desk):
    page, base, _moderator, errors = desk
    draft = make_draft()
    section = sections_of(draft)[0]
    for n in range(3):
        make_comment(section, f"Quảng cáo bán hàng số {n}")
    page.goto(f"{base}/kiem-duyet/")
    page.get_by_label("Chọn cả trang").check()
    assert page.locator("input.bulk-ids:checked").count() == 3
    page.locator("input.bulk-ids").first.uncheck()
    assert not page.get_by_label("Chọn cả trang").is_checked()
    page.get_by_label("Chọn cả trang").check()
    page.get_by_label("Với các ý kiến đã chọn").select_option("hide")
    page.get_by_label("Lý do ẩn", exact=True).fill("Quảng cáo")
    page.get_by_role("button", name="Thực hiện").click()
    assert page.get_by_text("Đã xử lý 3 ý kiến").is_visible()
    assert Comment.objects.filter(status=CommentStatus.HIDDEN).count() == 3
    assert errors == []  # nothing refused by the Content-Security-Policy


def test_the_job_panel_polls_and_reloads_when_the_job_ends(desk):
    page, base, moderator, errors = desk
    draft = make_draft()
    job = SynthesisJob.objects.create(
        draft=draft, created_by=moderator, status=JobStatus.RUNNING, progress=40
    )
    page.goto(f"{base}/tong-hop/{draft.pk}/")
    assert page.locator("#job-status progress").get_attribute("value") == "40"
    SynthesisJob.objects.filter(pk=job.pk).update(progress=75)
    expect(page.locator("#job-status progress")).to_have_attribute("value", "75", timeout=10_000)
    SynthesisJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, message="Đã tổng hợp 0 ý kiến ở 0 mục."
    )
    page.wait_for_selector("text=Đã tổng hợp 0 ý kiến ở 0 mục.", timeout=10_000)
    assert page.locator("#job-status").get_attribute("hx-trigger") is None
    assert errors == []
