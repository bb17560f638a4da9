"""Proposals in a real browser: analyse a notice, add an unknown unit with one click (HTMX,
CSRF header, strict CSP), accept the proposals."""

from __future__ import annotations

import pytest

from daihoi.core.models import Role, Unit
from daihoi.documents.services.register import register_document
from daihoi.tasks.models import Task
from tests.browser.conftest import sign_in
from tests.factories import make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "Giao Ban Tuyên giáo Thành ủy chủ trì xây dựng phương án trang trí, "
    "hoàn thành trong tháng 7/2020.\n"
    "Giao Trung tâm Hội nghị Quốc gia chủ trì chuẩn bị hội trường trước ngày 15/9/2020.\n"
)


def test_analyse_add_unit_and_accept(browser, live_server):
    Unit.objects.create(name="Ban Tuyên giáo Thành ủy", kind="party_organ")
    document = register_document(
        None, symbol="2682-TB/TU", date="22/06/2020", summary="Kết luận giao ban", body=BODY
    )
    staff = make_user_with_role(Role.ORGANISING_STAFF)
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}/van-ban/{document.pk}/")
    page.get_by_role("link", name="Đề xuất nhiệm vụ từ nội dung văn bản").click()
    page.get_by_role("button", name="Phân tích và đề xuất").click()
    assert page.locator("fieldset.proposal").count() == 2
    page.get_by_role("button", name="Thêm vào danh bạ").click()
    page.get_by_text("Đã thêm «Trung tâm Hội nghị Quốc gia» vào danh bạ").wait_for()
    assert Unit.objects.filter(name="Trung tâm Hội nghị Quốc gia").exists()
    page.get_by_label("Nhập nhiệm vụ đã giao trước đây (cho phép thời hạn đã qua)").check()
    page.get_by_role("button", name="Giao các nhiệm vụ đã chọn").click()
    page.get_by_text("Đã giao 2 nhiệm vụ theo văn bản.").wait_for()
    assert Task.objects.filter(document=document).count() == 2
    assert not errors, errors
    context.close()
