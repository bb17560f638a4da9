"""A liaison reports progress and submits from a phone; a standing member approves; the
dashboard moves the task from "not done" to "done on time"."""

from __future__ import annotations

import datetime as dt

import pytest

from daihoi.core.models import Role
from daihoi.tasks.models import Task
from tests.browser.conftest import sign_in
from tests.factories import UnitFactory, make_user_with_role
from tests.tasks.helpers import make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _card(page, label: str) -> str:
    return page.locator(".total-card", has_text=label).locator(".n").inner_text()


def test_progress_approval_and_dashboard(browser, live_server):
    unit = UnitFactory(name="Đài Phát thanh và Truyền hình Hà Nội", kind="media")
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)
    standing = make_user_with_role(Role.SUBCOMMITTEE_STANDING)
    task = make_task(
        unit,
        due=dt.date.today() + dt.timedelta(days=30),
        chain=["Tiểu ban"],
        title="Hoàn thành phim phóng sự “Từ đại hội đến đại hội”",
    )
    base = live_server.url

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    sign_in(page, base, liaison.username)
    page.goto(f"{base}/nhiem-vu/{task.pk}/")
    page.get_by_label("Nội dung báo cáo tiến độ").fill("Đã dựng xong bản hoàn chỉnh.")
    page.get_by_label("Tiến độ (%)").fill("90")
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_text("Đã ghi báo cáo tiến độ.").is_visible()
    page.get_by_role("button", name="Trình sản phẩm").click()
    assert page.get_by_text("Đã trình sản phẩm.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    desk = browser.new_context(locale="vi-VN")
    page = desk.new_page()
    sign_in(page, base, standing.username)
    page.goto(base + "/nhiem-vu/tong-hop/")
    assert _card(page, "Chưa hoàn thành, trong hạn") == "1"
    assert _card(page, "Hoàn thành đúng hạn") == "0"
    page.goto(f"{base}/nhiem-vu/{task.pk}/")
    page.get_by_label("Ý kiến").fill("Đồng ý phát sóng.")
    page.get_by_role("button", name="Phê duyệt").click()
    assert page.get_by_text("Đã phê duyệt.").is_visible()
    page.goto(base + "/nhiem-vu/tong-hop/")
    assert _card(page, "Hoàn thành đúng hạn") == "1"
    assert _card(page, "Chưa hoàn thành, trong hạn") == "0"
    desk.close()
    assert Task.objects.get(pk=task.pk).state == "approved"
