"""Check-in at the door on a phone: by name typed without diacritics, through a network drop
(the browser's queue syncs later, stored once), and by a badge QR read by the camera (Chromium's
fake camera plays a video of the QR code)."""

from __future__ import annotations

import pytest
import segno
from django.utils import timezone
from playwright.sync_api import expect

from daihoi.core.models import Role
from daihoi.delegates.models import Attendance, Badge, CheckInMethod, Session
from tests.browser.conftest import launch, sign_in
from tests.delegates.test_base import make
from tests.factories import CongressFactory, UnitFactory, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOKEN = "qvJ3x0pR7aZk9LmN2bC4dE6fG8hJ1kLm"


def _hall():
    congress = CongressFactory(convening_committee=UnitFactory(), is_current=True)
    session = Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official", starts_at=timezone.now()
    )
    people = {
        name: make(congress, name)
        for name in ("Nguyễn Thị Hường", "Đặng Quốc Khánh", "Lê Thị Ngọc Ánh", "Ông Ích Khiêm")
    }
    return session, people


def qr_video(path, text: str, size: int = 480, frames: int = 10) -> None:
    """A Y4M (YUV 4:2:0) video of the QR code for Chromium's fake camera: grey levels only, so
    the chroma planes are flat 128."""
    qr = segno.make(text, error="m")
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    cell = size // len(matrix)
    offset = (size - cell * len(matrix)) // 2
    luma = bytearray([255]) * (size * size)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(cell):
                    start = (offset + y * cell + dy) * size + offset + x * cell
                    luma[start : start + cell] = bytes(cell)
    chroma = bytes([128]) * ((size // 2) * (size // 2))
    with open(path, "wb") as handle:
        handle.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            handle.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_check_in_by_name_and_through_a_network_drop(browser, live_server):
    session, people = _hall()
    door = make_user_with_role(Role.CHECK_IN_STAFF)
    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    try:
        _name_and_network_drop(phone.new_page(), live_server.url, session, people, door)
    finally:
        phone.close()  # before the live server stops, so no request is left in flight


def _name_and_network_drop(page, base, session, people, door):
    phone = page.context
    sign_in(page, base, door.username)
    page.goto(f"{base}/dai-bieu/diem-danh/{session.pk}/")

    search = page.get_by_label("Tìm theo tên hoặc số đại biểu")
    search.fill("nguyen thi huong")  # typed without diacritics
    page.get_by_role("button", name="Điểm danh: Nguyễn Thị Hường").click()
    result = page.locator("#checkin-result")
    result.get_by_text("Đã điểm danh.").wait_for()
    assert "Nguyễn Thị Hường" in result.inner_text()
    expect(page.locator('[data-figure="present"]')).to_have_text("1")
    attendance = Attendance.objects.get(session=session)
    assert (attendance.delegate, attendance.method) == (people["Nguyễn Thị Hường"], "name")

    # The same person again: shown as already present, counted once.
    page.get_by_role("button", name="Điểm danh: Nguyễn Thị Hường").click()
    page.wait_for_selector('#checkin-result[data-outcome="already_present"]')
    assert "đã có mặt" in page.locator("#checkin-matches").inner_text()

    # The network drops: the scan is kept in the browser and sent when it comes back.
    phone.set_offline(True)
    search.fill("dang quoc khanh")
    page.get_by_role("button", name="Điểm danh: Đặng Quốc Khánh").click()
    page.wait_for_selector('#checkin-result[data-outcome="queued"]')
    assert page.locator("#checkin-queue").is_visible()
    assert Attendance.objects.filter(session=session).count() == 1
    phone.set_offline(False)
    page.wait_for_selector("#checkin-queue", state="hidden", timeout=15000)
    khanh = Attendance.objects.filter(session=session, delegate=people["Đặng Quốc Khánh"])
    assert khanh.count() == 1
    assert Attendance.objects.filter(session=session).count() == 2


def test_check_in_by_badge_qr_through_the_camera(playwright, live_server, tmp_path):
    session, people = _hall()
    door = make_user_with_role(Role.CHECK_IN_STAFF)
    delegate = people["Lê Thị Ngọc Ánh"]
    Badge.objects.create(delegate=delegate, token=TOKEN, issued_at=timezone.now())
    video = tmp_path / "qr.y4m"
    qr_video(video, "DH1:" + TOKEN)
    browser = launch(
        playwright,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    try:
        context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        sign_in(page, live_server.url, door.username)
        page.goto(f"{live_server.url}/dai-bieu/diem-danh/{session.pk}/")
        page.get_by_role("button", name="Bật camera để quét mã QR").click()
        page.wait_for_selector('#checkin-result[data-outcome="recorded"]', timeout=20000)
        assert "Lê Thị Ngọc Ánh" in page.locator("#checkin-result").inner_text()
        attendance = Attendance.objects.get(session=session)
        assert (attendance.delegate, attendance.method) == (delegate, CheckInMethod.QR)
        # The badge stays in front of the camera: no second row, whatever the frame rate.
        page.wait_for_timeout(1500)
        assert Attendance.objects.filter(session=session).count() == 1
        context.close()
    finally:
        browser.close()
