"""An electronic vote on the congress floor, with the presidium, the projector and two hall
tablets in their own browsers at once: the presidium creates and opens the vote; the projector
shows 0 received; one delegate signs in on a tablet with a one-time code from the check-in desk,
another with their badge QR read by the tablet's camera (Chromium's fake camera plays a video of
the code); each votes and the projector's counter moves without a reload; the presidium closes
and the projector shows the result against the base; the presidium publishes and the delegate
sees their own recorded vote and the named list, then hands the tablet back.

pytest-django's live server speaks WSGI only, so the pages' websockets (`/ws/bieu-quyet/<id>/`)
are refused and voting.js falls back to polling `so-lieu/` every 2 seconds: the counter still
moves live, without a reload, which is what this test checks. The websocket path itself is
tested in tests/voting/test_votes.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from daihoi.core.models import Role
from daihoi.delegates.models import Attendance, Badge, Session
from daihoi.voting.models import OpenVote, VoteCast, VoteState
from tests.browser.conftest import launch, sign_in
from tests.browser.test_checkin_flow import qr_video
from tests.delegates.test_base import make
from tests.factories import CongressFactory, UnitFactory, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOKEN = "vOteFlowBadge0123456789abcdefGHJK"
MOTION = "Thông qua Quy chế làm việc của Đại hội"
WAIT = 15000  # ms: a few polling rounds


def _floor():
    """Three official delegates checked in at the session under way (so the base is 3), none
    with an account yet; the second has a badge."""
    congress = CongressFactory(convening_committee=UnitFactory(), is_current=True)
    session = Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official",
        starts_at=timezone.now() - dt.timedelta(minutes=30),
    )  # fmt: skip
    names = ("Nguyễn Thị Hường", "Đặng Quốc Khánh", "Lê Thị Ngọc Ánh")
    people = [make(congress, name) for name in names]
    for delegate in people:
        Attendance.objects.create(delegate=delegate, session=session, present_at=timezone.now())
    Badge.objects.create(delegate=people[1], token=TOKEN, issued_at=timezone.now())
    return people


def test_presidium_projector_and_two_tablets(browser, playwright, live_server, tmp_path):
    people = _floor()
    chair = make_user_with_role(Role.PRESIDIUM, full_name="Nguyễn Văn Chủ Tọa")
    clerk = make_user_with_role(Role.SECRETARIAT, full_name="Phạm Thị Thư Ký")
    desk = make_user_with_role(Role.CHECK_IN_STAFF)
    video = tmp_path / "badge.y4m"
    qr_video(video, "DH1:" + TOKEN)
    camera_browser = launch(
        playwright,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    base = live_server.url
    contexts = [
        browser.new_context(locale="vi-VN", viewport=size)
        for size in ({"width": 1280, "height": 800}, {"width": 1280, "height": 720},
                     {"width": 1024, "height": 768}, {"width": 820, "height": 1180})
    ]  # fmt: skip
    camera_tablet = camera_browser.new_context(
        locale="vi-VN", viewport={"width": 820, "height": 1180}
    )
    camera_tablet.grant_permissions(["camera"], origin=base)
    try:
        presidium, projector, desk_pc, tablet_a = (c.new_page() for c in contexts)
        _flow(base, people, chair, clerk, desk, presidium, projector, desk_pc, tablet_a,
              camera_tablet.new_page())  # fmt: skip
    finally:
        for context in [*contexts, camera_tablet]:
            context.close()  # before the live server stops, so no request is left in flight
        camera_browser.close()


def _flow(base, people, chair, clerk, desk, presidium, projector, desk_pc, tablet_a, tablet_b):
    # The presidium creates and opens the vote.
    sign_in(presidium, base, chair.username)
    presidium.goto(base + "/bieu-quyet/")
    presidium.get_by_label("Nội dung biểu quyết").fill(MOTION)
    presidium.get_by_role("button", name="Tạo biểu quyết").click()
    vote = OpenVote.objects.get(motion=MOTION)
    presidium.wait_for_url(f"{base}/bieu-quyet/{vote.pk}/")
    presidium.get_by_role("button", name="Bắt đầu biểu quyết").click()
    expect(presidium.get_by_text("Đang biểu quyết")).to_be_visible()

    # The projector shows nothing received yet, against a base of 3.
    sign_in(projector, base, clerk.username)
    projector.goto(f"{base}/bieu-quyet/{vote.pk}/may-chieu/")
    received = projector.locator('[data-figure="received"]')
    expect(received).to_have_text("0")
    expect(projector.locator('[data-figure="base"]')).to_have_text("3")
    projector.evaluate("window.notReloaded = true")

    # Tablet A: a one-time code from the check-in desk.
    sign_in(desk_pc, base, desk.username)
    desk_pc.goto(base + "/bieu-quyet/may-tinh-bang/cap-ma/")
    desk_pc.get_by_label("Số thứ tự đại biểu").fill(str(people[0].number))
    desk_pc.get_by_role("button", name="Cấp mã").click()
    code = desk_pc.locator(".hall-issued-code").inner_text()
    assert len(code) == 9 and code[4] == "-"
    tablet_a.goto(base + "/bieu-quyet/may-tinh-bang/")
    tablet_a.get_by_label("Mã đăng nhập (8 ký tự)").fill(code)
    tablet_a.get_by_role("button", name="Đăng nhập để biểu quyết").click()
    tablet_a.wait_for_url(f"{base}/bieu-quyet/{vote.pk}/")  # straight to the one open vote
    expect(tablet_a.locator("#hall-bar")).to_contain_text("Nguyễn Thị Hường")
    tablet_a.get_by_role("button", name="Tán thành", exact=True).click()
    expect(tablet_a.get_by_role("status").filter(has_text="Đã ghi nhận")).to_be_visible()
    expect(received).to_have_text("1", timeout=WAIT)

    # Tablet B: the badge QR in front of the tablet's camera.
    tablet_b.goto(base + "/bieu-quyet/may-tinh-bang/")
    tablet_b.get_by_role("button", name="Bật camera, đưa mã QR trên thẻ vào khung hình").click()
    tablet_b.wait_for_url(f"{base}/bieu-quyet/{vote.pk}/", timeout=20000)
    expect(tablet_b.locator("#hall-bar")).to_contain_text("Đặng Quốc Khánh")
    tablet_b.get_by_role("button", name="Tán thành", exact=True).click()
    expect(tablet_b.get_by_role("status").filter(has_text="Đã ghi nhận")).to_be_visible()
    expect(received).to_have_text("2", timeout=WAIT)
    assert projector.evaluate("window.notReloaded === true")  # moved live, no reload
    casts = VoteCast.objects.filter(vote=vote).order_by("delegate__number")
    assert [(c.delegate, c.choice) for c in casts] == [(people[0], "yes"), (people[1], "yes")]

    # The presidium closes: the projector shows the result against the base.
    presidium.reload()
    presidium.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(projector.locator(".projector-result")).to_be_visible(timeout=WAIT)
    result = projector.locator(".projector-result").inner_text()
    assert "Tán thành\n2" in result and "Không tán thành\n0" in result
    expect(projector.get_by_text("66,67% so với cơ số 3 — ĐƯỢC THÔNG QUA")).to_be_visible()

    # The presidium publishes; on tablet A the delegate sees their vote and the named list.
    presidium.get_by_role("button", name="Công bố danh sách").click()
    expect(presidium.get_by_text("Đã công bố danh sách")).to_be_visible()
    assert OpenVote.objects.get(pk=vote.pk).state == VoteState.PUBLISHED
    tablet_a.reload()
    expect(tablet_a.locator(".vote-mine")).to_contain_text("Tán thành")
    named = tablet_a.locator("table")
    expect(named).to_contain_text("Nguyễn Thị Hường")
    expect(named).to_contain_text("Đặng Quốc Khánh")
    assert "Lê Thị Ngọc Ánh" not in named.inner_text()  # did not vote
    assert tablet_a.get_by_role("button", name="Tán thành", exact=True).count() == 0

    # Handing the tablet back: the next delegate finds the sign-in page.
    tablet_a.get_by_role("button", name="Xong, trả máy").click()
    tablet_a.wait_for_url(base + "/bieu-quyet/may-tinh-bang/")
    expect(tablet_a.get_by_text("Máy sẵn sàng cho đại biểu khác")).to_be_visible()
    tablet_a.goto(f"{base}/bieu-quyet/{vote.pk}/")
    assert "/tai-khoan/dang-nhap/" in tablet_a.url  # signed out for real
