"""Hall tablets: one-time codes (short, hashed, single use, expiring, rate-limited), sign-in by
badge, the restricted hall session (voting only, never past it for a two-factor account), its
idle and end-of-day expiry, sign-out back to the sign-in page, and the audit of every step."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from daihoi.audit.models import AuditEntry
from daihoi.core.middleware import HALL_IDLE_SECONDS, HALL_SESSION_KEY
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Attendance, Badge, Category, HallCode, Session
from daihoi.delegates.services import hall_signin
from daihoi.delegates.services.roster import replace_with_reserve, withdraw
from daihoi.voting import services as voting
from daihoi.voting.hot import ADMITTED_SESSION_KEY
from daihoi.voting.models import VoteCast
from tests.delegates.test_base import make
from tests.factories import CongressFactory, make_user_with_role
from tests.voting.test_hot_path import cast_json

TOKEN = "hallTokenA1b2C3d4E5f6G7h8J9k0LmNo"
ADDRESS = "10.0.0.21"


@pytest.fixture(autouse=True)
def _own_failure_counters():
    """Each test counts failures under its own key prefix: clearing the cache would also clear
    what other tests running at the same time keep in a shared Redis."""
    backend = caches["default"]
    before = backend.key_prefix
    backend.key_prefix = f"{before}-hall-test-{uuid.uuid4().hex}"
    yield
    backend.key_prefix = before


@pytest.fixture
def floor(congress, staff):
    """Four officials checked in at the session under way, one badge, a desk clerk, a chair."""
    session = Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official",
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    people = [make(congress, f"Đại biểu hội trường {i}") for i in range(4)]
    for delegate in people:
        Attendance.objects.create(delegate=delegate, session=session, present_at=timezone.now())
    Badge.objects.create(delegate=people[0], token=TOKEN, issued_at=timezone.now())
    desk = make_user_with_role(Role.CHECK_IN_STAFF)
    chair = make_user_with_role(Role.PRESIDIUM)
    return session, people, desk, chair


def _actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def _raw(issued) -> str:
    return issued.code.replace("-", "")


# --- Codes ---


@pytest.mark.django_db
def test_a_code_is_short_hashed_single_use_and_audited(floor):
    _session, people, desk, _chair = floor
    issued = hall_signin.issue_code(desk, people[1])
    raw = _raw(issued)
    assert len(raw) == 8 and set(raw) <= set(hall_signin.CODE_ALPHABET)
    assert not set(raw) & set("IL O01")
    assert issued.code[4] == "-"
    row = HallCode.objects.get()
    assert raw not in row.code_hash and len(row.code_hash) == 64  # only a keyed hash is kept
    assert row.expires_at - row.issued_at == dt.timedelta(minutes=10)
    (entry,) = _actions("hall.code_issued")
    assert entry.actor == desk and '"by":"desk"' in entry.data

    admitted = hall_signin.sign_in_by_code(issued.code.lower(), ADDRESS)  # case and dash ignored
    assert admitted.delegate == people[1] and admitted.method == "code"
    assert voting.voter_record(admitted.user, people[1].congress) == people[1]
    assert len(_actions("hall.signed_in")) == 1
    with pytest.raises(InvalidInput) as used:
        hall_signin.sign_in_by_code(raw, ADDRESS)
    assert used.value.code == "used_code" and "đã được dùng" in used.value.message
    assert _actions("hall.sign_in_failed")[-1].target_id == str(people[1].pk)


@pytest.mark.django_db
def test_expired_replaced_unknown_and_malformed_codes_are_refused(floor):
    _session, people, desk, _chair = floor
    first = hall_signin.issue_code(desk, people[1])
    second = hall_signin.issue_code(desk, people[1])  # cancels the first
    expired = hall_signin.issue_code(desk, people[2])
    HallCode.objects.filter(delegate=people[2]).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    cases = [
        (first.code, "replaced_code", "thay bằng mã mới"),
        (expired.code, "expired_code", "hết hạn"),
        ("ABCD-EFGH", "unknown_code", "không đúng"),
        ("AB1", "bad_code", "8 ký tự"),
    ]
    for typed, code, words in cases:
        with pytest.raises(InvalidInput) as refused:
            hall_signin.sign_in_by_code(typed, f"10.0.1.{len(typed)}")
        assert refused.value.code == code and words in refused.value.message
    assert hall_signin.sign_in_by_code(second.code, ADDRESS).delegate == people[1]
    assert len(_actions("hall.sign_in_failed")) == 4


@pytest.mark.django_db
def test_who_may_issue_a_code(floor, role_user):
    _session, people, desk, _chair = floor
    own = make_user_with_role(Role.DELEGATE)
    people[3].user = own
    people[3].save(update_fields=["user"])
    assert hall_signin.issue_code(own, people[3]).delegate == people[3]  # from their own phone
    assert '"by":"self"' in _actions("hall.code_issued")[-1].data
    with pytest.raises(NotAllowed):
        hall_signin.issue_code(own, people[2])  # someone else's
    with pytest.raises(NotAllowed):
        hall_signin.issue_code(role_user(Role.PRESS), people[2])
    reserve = make(people[0].congress, "Dự khuyết chưa thay ai", Category.RESERVE)
    with pytest.raises(InvalidInput) as no_seat:
        hall_signin.issue_code(desk, reserve)
    assert no_seat.value.code == "no_seat"


@pytest.mark.django_db
def test_failures_are_rate_limited_per_address_and_per_code(floor):
    _session, people, desk, _chair = floor
    issued = hall_signin.issue_code(desk, people[1])
    for i in range(hall_signin.MAX_FAILS_PER_ADDRESS):
        with pytest.raises(InvalidInput):
            hall_signin.sign_in_by_code(f"WRNGCD{i + 2:02d}"[:8], ADDRESS)
    with pytest.raises(InvalidInput) as throttled:
        hall_signin.sign_in_by_code(issued.code, ADDRESS)  # even a good code waits
    assert throttled.value.code == "throttled" and "10 phút" in throttled.value.message
    assert HallCode.objects.get().used_at is None
    # One throttled audit row per window and address, however many attempts follow.
    with pytest.raises(InvalidInput):
        hall_signin.sign_in_by_badge("DH1:" + TOKEN, ADDRESS)
    throttled_rows = [e for e in _actions("hall.sign_in_failed") if "throttled" in e.data]
    assert len(throttled_rows) == 1
    assert hall_signin.sign_in_by_code(issued.code, "10.0.0.22").delegate == people[1]

    # The same wrong code from many tablets: refused per code after five failures.
    for i in range(hall_signin.MAX_FAILS_PER_CODE):
        with pytest.raises(InvalidInput) as wrong:
            hall_signin.sign_in_by_code("HJKM-NPQR", f"10.0.2.{i}")
        assert wrong.value.code == "unknown_code"
    with pytest.raises(InvalidInput) as per_code:
        hall_signin.sign_in_by_code("HJKM-NPQR", "10.0.3.1")
    assert per_code.value.code == "throttled"


@pytest.mark.django_db(transaction=True)
def test_a_code_signs_in_once_under_concurrency(floor):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "The in-memory SQLite test database cannot queue writers from threads; this runs "
            "on PostgreSQL (CI's second pass)."
        )
    _session, people, desk, _chair = floor
    issued = hall_signin.issue_code(desk, people[1])
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def tablet(n: int) -> None:
        try:
            barrier.wait()
            hall_signin.sign_in_by_code(issued.code, f"10.0.4.{n}")
            outcomes.append("in")
        except InvalidInput as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tablet, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["in"] + ["used_code"] * 5
    assert len(_actions("hall.signed_in")) == 1


# --- Badges ---


@pytest.mark.django_db
def test_badge_sign_in_makes_a_password_less_voting_account(floor):
    _session, people, _desk, _chair = floor
    admitted = hall_signin.sign_in_by_badge(" DH1:" + TOKEN, ADDRESS)
    user = admitted.user
    assert admitted.delegate == people[0] and admitted.method == "badge"
    assert not user.has_usable_password() and user.has_role(Role.DELEGATE)
    people[0].refresh_from_db()
    assert people[0].user == user
    assert len(_actions("delegate.hall_account_created")) == 1
    again = hall_signin.sign_in_by_badge("DH1:" + TOKEN, ADDRESS)
    assert again.user == user  # the same account next time
    assert len(_actions("hall.signed_in")) == 2


@pytest.mark.django_db
def test_badge_refusals(floor, staff, settings):
    session, people, _desk, _chair = floor
    congress = people[0].congress
    with pytest.raises(InvalidInput) as unknown:
        hall_signin.sign_in_by_badge("DH1:khong-co-the-nay", ADDRESS)
    assert unknown.value.code == "unknown_badge"
    Badge.objects.filter(token=TOKEN).update(revoked_at=timezone.now(), revoke_reason="Mất thẻ")
    with pytest.raises(InvalidInput) as revoked:
        hall_signin.sign_in_by_badge("DH1:" + TOKEN, ADDRESS)
    assert revoked.value.code == "revoked_badge"

    late = make(congress, "Đại biểu đến muộn")
    Badge.objects.create(delegate=late, token="late" + TOKEN[4:], issued_at=timezone.now())
    with pytest.raises(InvalidInput) as absent:
        hall_signin.sign_in_by_badge("DH1:late" + TOKEN[4:], ADDRESS)
    assert absent.value.code == "not_checked_in" and "Phiên khai mạc" in absent.value.message
    settings.DAIHOI_HALL_REQUIRE_CHECK_IN = False
    assert hall_signin.sign_in_by_badge("DH1:late" + TOKEN[4:], ADDRESS).delegate == late
    settings.DAIHOI_HALL_REQUIRE_CHECK_IN = True
    Attendance.objects.create(delegate=late, session=session, present_at=timezone.now())
    withdraw(staff, late, "Chuyển công tác")
    with pytest.raises(InvalidInput) as withdrawn:
        hall_signin.sign_in_by_badge("DH1:late" + TOKEN[4:], ADDRESS)
    assert withdrawn.value.code == "withdrawn"

    # A reserve holds a seat only once standing in for an official.
    reserve = make(congress, "Dự khuyết", Category.RESERVE)
    Badge.objects.create(delegate=reserve, token="resv" + TOKEN[4:], issued_at=timezone.now())
    Attendance.objects.create(delegate=reserve, session=session, present_at=timezone.now())
    with pytest.raises(InvalidInput) as no_seat:
        hall_signin.sign_in_by_badge("DH1:resv" + TOKEN[4:], ADDRESS)
    assert no_seat.value.code == "no_seat"
    replace_with_reserve(staff, people[3], reserve)
    assert hall_signin.sign_in_by_badge("DH1:resv" + TOKEN[4:], ADDRESS).delegate == reserve

    # A badge of another congress (an earlier term's card) does not sign in here.
    earlier = CongressFactory(convening_committee=congress.convening_committee, ordinal=16)
    old_card = make(earlier, "Đại biểu khóa trước")
    Badge.objects.create(delegate=old_card, token="old0" + TOKEN[4:], issued_at=timezone.now())
    with pytest.raises(InvalidInput) as other:
        hall_signin.sign_in_by_badge("DH1:old0" + TOKEN[4:], ADDRESS)
    assert other.value.code == "other_congress"


# --- The hall session (views and middleware) ---


def _tablet_code(client, desk, delegate) -> object:
    issued = hall_signin.issue_code(desk, delegate)
    return client.post(reverse("hall:signin"), {"code": issued.code}, REMOTE_ADDR=ADDRESS)


@pytest.mark.django_db
def test_the_tablet_signs_in_votes_and_is_held_to_voting(client, floor):
    _session, people, desk, chair = floor
    congress = people[0].congress
    vote = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Quy chế"))
    page = client.get(reverse("hall:signin"))
    assert page.status_code == 200 and "Mã đăng nhập (8 ký tự)" in page.text
    assert "jsQR-1.4.0.js" in page.text  # the vendored reader, nothing from a CDN

    response = _tablet_code(client, desk, people[1])
    assert response.url == reverse("voting:detail", args=[vote.pk])  # the one open vote
    detail = client.get(response.url)
    assert "Xong, trả máy" in detail.text and 'value="yes"' in detail.text
    client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "yes"})
    assert VoteCast.objects.get(vote=vote).delegate == people[1]
    assert client.get(reverse("voting:figures", args=[vote.pk])).json()["received"] == 1

    for path in (reverse("home"), reverse("delegates:list"), reverse("password_change"),
                 reverse("hall:my_code"), "/admin/", "/api/tasks/", reverse("login")):  # fmt: skip
        blocked = client.get(path)
        assert (blocked.status_code, blocked.url) == (302, reverse("voting:list")), path
    # Creating a vote is a POST on the list: not from a tablet.
    assert client.post(reverse("voting:list"), {"motion": "X"}).url == reverse("voting:list")


@pytest.mark.django_db
def test_a_presidium_or_counting_board_account_gets_voting_only(client, floor):
    _session, people, desk, chair = floor
    congress = people[0].congress
    vote = voting.open_vote(chair, voting.create_vote(chair, congress, "Thông qua Chương trình"))
    # The counting board signs in with a second factor everywhere else; on a tablet it votes.
    board = make_user_with_role(Role.COUNTING_BOARD)
    people[2].user = board
    people[2].save(update_fields=["user"])
    assert board.requires_two_factor
    _tablet_code(client, desk, people[2])
    detail = client.get(reverse("voting:detail", args=[vote.pk]))
    assert detail.status_code == 200  # not sent to the two-factor page
    client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "no"})
    assert VoteCast.objects.get(vote=vote).delegate == people[2]
    elections = client.get(reverse("elections:list"))
    assert elections.url == reverse("voting:list")
    client.post(reverse("hall:signout"))

    # A presidium member on a tablet cannot run the vote from there.
    chair_seat = make_user_with_role(Role.PRESIDIUM)
    people[3].user = chair_seat
    people[3].save(update_fields=["user"])
    _tablet_code(client, desk, people[3])
    closing = client.post(reverse("voting:step", args=[vote.pk, "close"]))
    assert closing.url == reverse("voting:list")
    vote.refresh_from_db()
    assert vote.state == "open"


@pytest.mark.django_db
def test_a_forced_password_change_does_not_loop_on_a_tablet(client, floor):
    _session, people, desk, chair = floor
    account = make_user_with_role(Role.DELEGATE, must_change_password=True)
    people[1].user = account
    people[1].save(update_fields=["user"])
    _tablet_code(client, desk, people[1])
    assert client.get(reverse("voting:list")).status_code == 200


@pytest.mark.django_db
def test_idle_and_end_of_day_end_the_hall_session(client, floor):
    _session, people, desk, chair = floor
    for field, value, reason in (
        ("last", time.time() - HALL_IDLE_SECONDS - 1, "idle"),
        ("day", (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "day_end"),
    ):
        _tablet_code(client, desk, people[1])
        session = client.session
        session[HALL_SESSION_KEY][field] = value
        session.save()
        response = client.get(reverse("voting:list"))
        assert response.url == reverse("hall:signin")
        assert "_auth_user_id" not in client.session
        assert f'"reason":"{reason}"' in _actions("hall.signed_out")[-1].data
    # Polling the counters does not keep an idle session alive; a tap does.
    _tablet_code(client, desk, people[2])
    before = client.session[HALL_SESSION_KEY]["last"]
    time.sleep(0.01)
    vote = voting.create_vote(chair, people[0].congress, "Thông qua Z")
    client.get(reverse("voting:figures", args=[vote.pk]))
    assert client.session[HALL_SESSION_KEY]["last"] == before
    client.get(reverse("voting:list"))
    assert client.session[HALL_SESSION_KEY]["last"] > before


@pytest.mark.django_db
def test_signing_out_returns_the_tablet_to_the_sign_in_page(client, floor):
    _session, people, desk, _chair = floor
    _tablet_code(client, desk, people[1])
    response = client.post(reverse("hall:signout"))
    assert response.url == reverse("hall:signin")
    assert "_auth_user_id" not in client.session
    assert '"reason":"button"' in _actions("hall.signed_out")[-1].data
    # The header's sign-out button in a hall session goes the tablet's way too.
    _tablet_code(client, desk, people[2])
    header = client.post(reverse("logout"))
    assert (header.status_code, header["Location"]) == (307, reverse("hall:signout"))
    assert client.post(header["Location"]).url == reverse("hall:signin")


@pytest.mark.django_db
def test_wrong_codes_on_the_page_and_the_throttle(client, floor):
    _session, people, desk, _chair = floor
    wrong = client.post(reverse("hall:signin"), {"code": "ABCD-EFGH"}, REMOTE_ADDR=ADDRESS)
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.text
    assert 'role="alert"' in wrong.text and "_auth_user_id" not in client.session
    for i in range(hall_signin.MAX_FAILS_PER_ADDRESS):
        client.post(reverse("hall:signin"), {"code": f"ABCD-EF{i + 2:02d}"}, REMOTE_ADDR=ADDRESS)
    assert _tablet_code(client, desk, people[1]).status_code == 429
    badge = client.post(reverse("hall:signin"), {"token": "DH1:" + TOKEN}, REMOTE_ADDR="10.0.9.9")
    assert badge.url == reverse("voting:list")  # no open vote: the list


@pytest.mark.django_db
def test_the_desk_and_the_delegates_own_phone_issue_codes(client, floor, role_user):
    _session, people, desk, _chair = floor
    client.force_login(desk)
    page = client.post(reverse("hall:desk"), {"number": str(people[1].number)})
    code = page.context["issued"].code
    assert code in page.text and people[1].full_name in page.text
    assert "Không có đại biểu số 9999" in client.post(reverse("hall:desk"), {"number": "9999"}).text
    own = make_user_with_role(Role.DELEGATE)
    people[2].user = own
    people[2].save(update_fields=["user"])
    client.force_login(own)
    assert client.get(reverse("hall:desk")).status_code == 403
    mine = client.post(reverse("hall:my_code"))
    assert mine.context["issued"].delegate == people[2]
    assert "Lấy mã cho máy tính bảng" in client.get(reverse("voting:list")).text
    client.force_login(role_user(Role.PRESS))
    assert "không gắn với đại biểu" in client.post(reverse("hall:my_code")).text
    client.logout()
    assert client.post(reverse("hall:signin"), {"code": code}).status_code == 302


# --- The JSON hot path (daihoi/voting/hot.py answers before the middleware stack) ---


@pytest.mark.django_db
def test_a_counting_board_delegate_votes_through_the_hot_path_on_a_tablet(client, floor):
    _session, people, desk, chair = floor
    vote = voting.open_vote(chair, voting.create_vote(chair, people[0].congress, "Thông qua H"))
    board = make_user_with_role(Role.COUNTING_BOARD)
    people[2].user = board
    people[2].save(update_fields=["user"])
    _tablet_code(client, desk, people[2])
    # Admitted as a hall session (no second factor needed there) from the start.
    assert client.session[ADMITTED_SESSION_KEY][1:] == [False, True, True, False]
    answer = cast_json(client, vote)
    assert answer.status_code == 200, answer.json()


@pytest.mark.django_db
def test_an_idle_hall_session_cannot_vote_through_the_hot_path(client, floor):
    """Even after the tablet voted once (its session admitted, its next vote one statement)."""
    _session, people, desk, chair = floor
    earlier, vote = (
        voting.open_vote(chair, voting.create_vote(chair, people[0].congress, motion))
        for motion in ("Thông qua H2", "Thông qua I")
    )
    _tablet_code(client, desk, people[1])
    assert cast_json(client, earlier).status_code == 200
    session = client.session
    session[HALL_SESSION_KEY]["last"] = time.time() - HALL_IDLE_SECONDS - 1
    session.save()
    answer = cast_json(client, vote)
    assert answer.status_code == 403 and not VoteCast.objects.filter(vote=vote).exists()
