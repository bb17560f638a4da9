"""Blind double entry in a real browser: two counting-board members, each in a browser of their
own and signed in with the second factor, type the same three ballot sheets by keyboard alone
(the numbers of the struck names, then Enter). One sheet is typed differently: the round page
lists it, both typings are discarded and the sheet is typed again; then count and seal."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from daihoi.core.models import Role
from daihoi.delegates.models import Attendance, Session
from daihoi.elections.models import ElectedBody, RoundStatus
from daihoi.elections.services import setup
from tests.browser.conftest import sign_in
from tests.delegates.test_base import make
from tests.factories import CongressFactory, UnitFactory, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]


def _round():
    """Four official delegates present (base 4), two on the counting board; 3 of 4 names."""
    congress = CongressFactory(convening_committee=UnitFactory(), is_current=True)
    staff = make_user_with_role(Role.ORGANISING_STAFF)
    session = Session.objects.create(
        congress=congress, name="Phiên bầu cử", kind="official", starts_at=timezone.now()
    )
    delegates = [make(congress, f"Đại biểu {i}") for i in range(4)]
    for d in delegates:
        Attendance.objects.create(delegate=d, session=session, present_at=timezone.now())
    election = setup.create_election(
        staff, congress, body=ElectedBody.STANDING_BOARD, title="Bầu Ban Thường vụ", seats=3
    )
    for name in NAMES:
        setup.add_candidate(staff, election, name)
    board = []
    for i, delegate in enumerate(delegates[:2]):
        user = make_user_with_role(Role.DELEGATE, full_name=f"Kiểm Phiếu Viên {i}")
        setup.appoint_counting_board_member(
            staff, congress, delegate, user, approval="Đại hội biểu quyết 4/4 tán thành"
        )
        TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
        board.append(user)
    return setup.open_first_round(staff, election, ballots_issued=3), board


def _sign_in(page, base: str, user) -> None:
    """Password, then the 6-digit code of the member's authenticator app."""
    sign_in(page, base, user.username, lands="**/tai-khoan/xac-thuc-hai-buoc/**")
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Mã xác thực 6 số").fill(f"{code:06d}")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(base + "/")


def _type_sheet(page, sheet: int, struck: str) -> None:
    """Keyboard only: the sheet number is pre-filled and the cursor waits in the struck field."""
    expect(page.get_by_label("Số tờ phiếu")).to_have_value(str(sheet))
    struck_field = page.get_by_label("Số thứ tự các tên bị gạch")
    expect(struck_field).to_be_focused()
    expect(struck_field).to_have_value("")  # blind: always an empty form
    page.keyboard.type(struck)
    page.keyboard.press("Enter")
    page.get_by_text(f"Đã ghi tờ phiếu số {sheet}.").wait_for()


def test_two_members_type_blind_retype_a_difference_count_and_seal(browser, live_server):
    round_, board = _round()
    base = live_server.url
    entry_url = f"{base}/bau-cu/vong/{round_.pk}/nhap/"
    round_url = f"{base}/bau-cu/vong/{round_.pk}/"
    contexts = [browser.new_context(locale="vi-VN") for _ in board]
    errors: list[str] = []
    try:
        first, second = (context.new_page() for context in contexts)
        for page, member in ((first, board[0]), (second, board[1])):
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            _sign_in(page, base, member)
            page.get_by_role("navigation").get_by_role("link", name="Bầu cử").click()
            page.get_by_role("link", name="Bầu Ban Thường vụ").click()
            page.get_by_role("link", name="Nhập phiếu").click()
            page.wait_for_url(entry_url)

        for sheet, struck in ((1, "1"), (2, "2"), (3, "1")):
            _type_sheet(first, sheet, struck)
        expect(first.locator('[data-count="typed-once"]')).to_have_text("3")
        # The same member cannot type a sheet twice: the error stands next to the sheet number,
        # and the cursor goes back there.
        sheet_field = first.get_by_label("Số tờ phiếu")
        expect(sheet_field).to_have_value("")  # all 3 issued sheets typed by this member
        first.keyboard.press("Shift+Tab")
        first.keyboard.type("1")
        first.keyboard.press("Tab")
        first.keyboard.type("2")
        first.keyboard.press("Enter")
        first.get_by_text("lần nhập thứ hai phải do thành viên khác").wait_for()
        expect(sheet_field).to_be_focused()
        for sheet, struck in ((1, "1"), (2, "3"), (3, "1")):  # sheet 2 read differently
            _type_sheet(second, sheet, struck)
        expect(second.locator('[data-count="agreed"]')).to_have_text("2")
        expect(second.locator('[data-count="differing"]')).to_have_text("1")
        # Nothing of the first member's typing is on the second member's screen.
        assert second.get_by_label("Số thứ tự các tên bị gạch").input_value() == ""

        first.goto(round_url)
        differing = first.locator(".differences li")
        expect(differing).to_have_count(1)
        expect(differing).to_have_attribute("data-sheet", "2")
        expect(first.get_by_role("button", name="Kiểm phiếu")).to_have_count(0)
        first.get_by_label("Ghi chú khi hủy tờ số 2").fill("Đối chiếu tờ giấy: gạch tên số 2")
        first.keyboard.press("Enter")
        first.get_by_text("Đã hủy hai lần nhập tờ phiếu số 2").wait_for()
        expect(first.locator(".differences li")).to_have_count(0)

        for page in (first, second):
            page.goto(entry_url)
            _type_sheet(page, 2, "2")

        first.goto(round_url)
        first.get_by_role("button", name="Kiểm phiếu").click()
        first.get_by_text("Đã kiểm phiếu.").wait_for()
        rows = first.locator(".result-table tbody tr")
        expect(rows).to_have_count(4)
        table = first.locator(".result-table").inner_text()
        assert "Lê Văn Cường" in table and "75,00%" in table  # 3 of the base 4
        expect(first.locator(".result-table tr.elected")).to_have_count(2)
        first.get_by_role("button", name="Niêm phong").click()
        first.get_by_text("Đã niêm phong kết quả.").wait_for()
        round_.refresh_from_db()
        assert round_.status == RoundStatus.SEALED
        expect(first.locator("[data-seal]")).to_have_text(round_.seal)
        expect(first.locator("[data-seal-ok]")).to_have_attribute("data-seal-ok", "1")
        assert not errors, errors
    finally:
        for context in contexts:
            context.close()  # before the live server stops, so no request is left in flight
