"""The big-screen counter over websocket: figures on connect, a push after each check-in,
refused for those who may not watch it."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from django.utils import timezone

from daihoi.core.models import Role
from daihoi.delegates.models import Session
from daihoi.delegates.routing import websocket_urlpatterns
from daihoi.delegates.services.checkin import check_in
from tests.delegates.test_base import make
from tests.websocket import Socket

pytestmark = pytest.mark.django_db(transaction=True)


def communicator(session, user, session_data=None) -> Socket:
    path = f"/ws/diem-danh/{session.pk}/"
    return Socket(URLRouter(websocket_urlpatterns), path, user, session_data)


@pytest.fixture
def session(congress):
    return Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official", starts_at=timezone.now()
    )


def test_screen_gets_figures_then_each_check_in_within_a_second(congress, session, role_user):
    door = role_user(Role.CHECK_IN_STAFF)
    watcher = role_user(Role.PRESIDIUM)
    people = [make(congress, f"Đại biểu {i}") for i in range(3)]

    async def scenario():
        screen = communicator(session, watcher)
        connected, _ = await screen.connect()
        assert connected
        first = await screen.receive_json(timeout=2)
        assert (first["present"], first["summoned"]) == (0, 3)
        for expected, person in enumerate(people, start=1):
            started = time.monotonic()
            await sync_to_async(check_in)(door, session, delegate_id=person.pk)
            while True:  # pushes are coalesced: read until the figure arrives
                update = await screen.receive_json(timeout=1)
                if update["present"] == expected:
                    break
            assert time.monotonic() - started < 1.0
        await screen.disconnect()

    async_to_sync(scenario)()


def test_a_burst_of_check_ins_is_coalesced(congress, session, role_user):
    door = role_user(Role.CHECK_IN_STAFF)
    people = [make(congress, f"Đại biểu {i}") for i in range(20)]

    async def scenario():
        screen = communicator(session, door)
        assert (await screen.connect())[0]
        await screen.receive_json(timeout=2)
        for person in people:
            await sync_to_async(check_in)(door, session, delegate_id=person.pk)
        await asyncio.sleep(0.8)
        pushes = []
        while not await screen.receive_nothing(timeout=0.1):
            pushes.append(await screen.receive_json(timeout=1))
        assert pushes[-1]["present"] == 20
        assert len(pushes) < 20, "one push per check-in: the screen should get coalesced figures"
        await screen.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.CREDENTIALS_COMMITTEE])
def test_others_are_refused(congress, session, role_user, role):
    async def scenario():
        screen = communicator(session, await sync_to_async(role_user)(role))
        connected, code = await screen.connect()
        assert not connected and code == 4403

    async_to_sync(scenario)()


def test_admin_without_second_factor_is_refused(congress, session, role_user):
    admin = role_user(Role.SYSTEM_ADMIN)

    async def scenario():
        refused = communicator(session, admin)
        assert (await refused.connect())[1] == 4403
        verified = communicator(session, admin, {"otp_device_id": "otp_totp.totpdevice/1"})
        assert (await verified.connect())[0]
        await verified.disconnect()

    async_to_sync(scenario)()
