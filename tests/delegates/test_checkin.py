"""Check-in per session: QR tokens, name, idempotency keys, rejections, counter, endpoints."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Attendance, Badge, Category, CheckInMethod, Session
from daihoi.delegates.services.checkin import Outcome, check_in, counter
from daihoi.delegates.services.roster import replace_with_reserve, withdraw
from tests.delegates.test_base import make
from tests.factories import CongressFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(congress):
    return Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official", starts_at=timezone.now()
    )


@pytest.fixture
def door(role_user):
    return role_user(Role.CHECK_IN_STAFF)


def badge(delegate, token=None, revoked=False):
    return Badge.objects.create(
        delegate=delegate,
        token=token or f"tok{delegate.pk:06d}abcdefghijklmnop",
        issued_at=timezone.now(),
        revoked_at=timezone.now() if revoked else None,
        revoke_reason="Mất thẻ" if revoked else "",
    )


def test_qr_scan_records_once_and_second_scan_is_already_present(congress, session, door):
    delegate = make(congress, "Nguyễn Thị Hường")
    card = badge(delegate)
    first = check_in(door, session, token="DH1:" + card.token, key="k1")
    assert first.outcome == Outcome.RECORDED and first.delegate == delegate
    second = check_in(door, session, token="DH1:" + card.token, key="k2")
    assert second.outcome == Outcome.ALREADY_PRESENT
    assert second.present_at == first.present_at
    rows = Attendance.objects.filter(session=session)
    assert rows.count() == 1 and rows.get().method == CheckInMethod.QR
    assert rows.get().recorded_by == door
    assert AuditEntry.objects.filter(action="delegate.checked_in").count() == 1


def test_same_key_sent_again_gets_the_first_answer(congress, session, door):
    delegate = make(congress, "Đặng Quốc Khánh")
    first = check_in(door, session, delegate_id=delegate.pk, key="offline-1")
    again = check_in(door, session, delegate_id=delegate.pk, key="offline-1")
    assert first.outcome == again.outcome == Outcome.RECORDED
    assert again.present_at == first.present_at
    assert Attendance.objects.filter(session=session).count() == 1


def test_one_delegate_present_in_two_sessions(congress, session, door):
    delegate = make(congress, "Lê Thị Ngọc Ánh")
    other = Session.objects.create(
        congress=congress, name="Phiên bế mạc", kind="official", starts_at=timezone.now()
    )
    assert check_in(door, session, delegate_id=delegate.pk).outcome == Outcome.RECORDED
    assert check_in(door, other, delegate_id=delegate.pk).outcome == Outcome.RECORDED
    assert delegate.attendances.count() == 2


@pytest.mark.parametrize("scanned", ["", "DH1:", "DH1:khong-co-the-nay", "<script>"])
def test_unknown_badge_is_rejected(congress, session, door, scanned):
    result = check_in(door, session, token=scanned)
    assert (result.outcome, result.code) == (Outcome.REJECTED, "unknown")
    assert not Attendance.objects.exists()


def test_revoked_badge_names_the_reason(congress, session, door):
    card = badge(make(congress, "Hà Văn Thưởng"), revoked=True)
    result = check_in(door, session, token=card.token)
    assert (result.outcome, result.code) == (Outcome.REJECTED, "revoked")
    assert "Mất thẻ" in result.message and "thu hồi" in result.message
    assert not Attendance.objects.exists()


def test_other_congress_badge_is_rejected(congress, session, door):
    elsewhere = CongressFactory(
        convening_committee=UnitFactory(), is_current=False, ordinal=congress.ordinal + 1
    )
    card = badge(make(elsewhere, "Ông Ích Khiêm"))
    result = check_in(door, session, token=card.token)
    assert (result.outcome, result.code) == (Outcome.REJECTED, "other_congress")
    # A delegate id from another congress is unknown here too.
    by_id = check_in(door, session, delegate_id=card.delegate_id)
    assert by_id.code == "unknown"


def test_withdrawn_delegate_is_rejected(congress, session, door, staff):
    delegate = make(congress, "Trần Văn Rút")
    withdraw(staff, delegate, "Chuyển công tác")
    result = check_in(door, session, delegate_id=delegate.pk)
    assert (result.outcome, result.code) == (Outcome.REJECTED, "withdrawn")
    assert "Chuyển công tác" in result.message


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.UNIT_LIAISON, Role.CREDENTIALS_COMMITTEE])
def test_only_check_in_staff_and_organisers_check_in(congress, session, role_user, role, unit):
    delegate = make(congress, "Người Được Điểm Danh")
    account = role_user(role, unit=unit) if role == Role.UNIT_LIAISON else role_user(role)
    with pytest.raises(NotAllowed):
        check_in(account, session, delegate_id=delegate.pk)


def test_bad_key_and_nothing_to_check_in(congress, session, door):
    with pytest.raises(InvalidInput):
        check_in(door, session, key="x" * 65, delegate_id=1)
    with pytest.raises(InvalidInput):
        check_in(door, session)


def test_counter_counts_seats_not_people(congress, session, door, staff):
    officials = [make(congress, f"Chính thức {i}") for i in range(4)]
    committee = make(congress, "Ủy viên", Category.EX_OFFICIO, committee=True)
    stand_in = make(congress, "Dự khuyết thay", Category.RESERVE)
    spare = make(congress, "Dự khuyết chưa thay", Category.RESERVE)
    replace_with_reserve(staff, officials[3], stand_in)
    for person in (officials[0], officials[1], stand_in, spare):
        check_in(door, session, delegate_id=person.pk)
    figures = counter(session)
    # Summoned: 4 elected + 1 ex officio = 5. Nobody has attended yet except these, so the base
    # drops the absent committee member and officials[2] (absent, no reserve): 5 - 2 = 3.
    assert (figures.present, figures.summoned, figures.base, figures.others_present) == (3, 5, 3, 1)
    check_in(door, session, delegate_id=committee.pk)
    assert counter(session).base == 4


# --- the HTTP endpoint -------------------------------------------------------------------------


def post_scan(client, session, payload, raw=None):
    return client.post(
        reverse("delegates:checkin_scan", args=[session.pk]),
        data=raw if raw is not None else json.dumps(payload),
        content_type="application/json",
    )


def test_scan_endpoint_answers_json(client, congress, session, door):
    delegate = make(congress, "Nguyễn Văn Quét")
    card = badge(delegate)
    client.force_login(door)
    answer = post_scan(client, session, {"key": "a1", "token": "DH1:" + card.token}).json()
    assert answer["outcome"] == "recorded"
    assert answer["delegate"] == {
        "id": delegate.pk,
        "number": delegate.number,
        "name": delegate.full_name,
    }
    again = post_scan(client, session, {"key": "a2", "token": card.token}).json()
    assert again["outcome"] == "already_present"


@pytest.mark.parametrize(
    "raw,status",
    [(b"not json", 400), (b"[1,2]", 400), (b"\xff\xfe", 400), (b"{}", 400), (b"x" * 5000, 413)],
)
def test_scan_endpoint_bad_input_is_never_a_500(client, session, door, raw, status):
    client.force_login(door)
    response = post_scan(client, session, None, raw=raw)
    assert response.status_code == status
    assert response.json()["outcome"] == "error"


def test_pages_for_check_in_staff(client, congress, session, door):
    make(congress, "Nguyễn Thị Hường")
    client.force_login(door)
    assert client.get(reverse("delegates:list")).status_code == 403
    page = client.get(reverse("delegates:checkin", args=[session.pk]))
    assert page.status_code == 200
    # The roster travels with the page, for the name search that works offline.
    assert [row["name"] for row in page.context["roster"]] == ["Nguyễn Thị Hường"]
    assert 'id="checkin-roster"' in page.content.decode()
    assert client.get(reverse("delegates:checkin_paper", args=[session.pk])).status_code == 200
    assert client.get(reverse("delegates:checkin_screen", args=[session.pk])).status_code == 200
    figures = client.get(reverse("delegates:checkin_figures", args=[session.pk])).json()
    assert figures["summoned"] == 1 and figures["present"] == 0
    # Check-in staff may not add sessions.
    assert client.post(reverse("delegates:sessions"), {"name": "X"}).status_code == 403


def test_presidium_sees_the_counter_but_does_not_check_in(client, session, role_user):
    client.force_login(role_user(Role.PRESIDIUM))
    assert client.get(reverse("delegates:checkin_screen", args=[session.pk])).status_code == 200
    assert client.get(reverse("delegates:checkin", args=[session.pk])).status_code == 403
    assert post_scan(client, session, {"delegate": 1}).status_code == 403


def test_staff_adds_a_session_and_records_an_absence(client, congress, staff):
    client.force_login(staff)
    response = client.post(
        reverse("delegates:sessions"),
        {"name": "Phiên trù bị", "kind": "preparatory", "starts_at": "2025-10-14T07:30"},
    )
    assert response.status_code == 302
    created = Session.objects.get(congress=congress)
    assert created.name == "Phiên trù bị"
    assert timezone.localtime(created.starts_at).strftime("%H:%M %d/%m/%Y") == "07:30 14/10/2025"
    delegate = make(congress, "Vắng Có Lý Do")
    client.post(
        reverse("delegates:absence", args=[delegate.pk]),
        {"reason": "Ốm", "whole_congress": "1"},
    )
    note = delegate.absence_notes.get()
    assert (note.reason, note.whole_congress) == ("Ốm", True)


# --- concurrency: many scanners at once --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_scanners_lose_and_duplicate_nothing(congress, role_user):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "The in-memory SQLite test database shares one cache between threads, whose table "
            "locks fail at once instead of waiting; PostgreSQL runs this (CI's second pass), "
            "and bench/checkin_http.py drives 50 scanners over HTTP."
        )
    door = role_user(Role.CHECK_IN_STAFF)
    session = Session.objects.create(
        congress=congress, name="Phiên đông", kind="official", starts_at=timezone.now()
    )
    people = [make(congress, f"Đại biểu {i}") for i in range(30)]
    cards = [badge(p) for p in people]
    outcomes: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(10)

    def scanner(index: int):
        try:
            barrier.wait()
            # Every scanner scans every badge; scanner pairs re-send the same keys.
            for number, card in enumerate(cards):
                result = check_in(door, session, token=card.token, key=f"s{index // 2}-{number}")
                outcomes.append(result.outcome)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=scanner, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Attendance.objects.filter(session=session).count() == 30
    assert len(outcomes) == 300
    assert AuditEntry.objects.filter(action="delegate.checked_in").count() == 30
