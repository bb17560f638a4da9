"""The big-screen counter per session, pushed over websocket.

A check-in sends one small "changed" event to the session's group after its commit; each
connected screen recomputes the counter at most every `MIN_INTERVAL` seconds, so a burst of
scans costs a handful of recomputations, not one per scan per screen. Screens get the figures
on connect too, so a reconnecting screen is never stale.
"""

from __future__ import annotations

import asyncio
import time

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer

from daihoi.core.websocket import signed_in_user
from daihoi.delegates.models import Session

MIN_INTERVAL = 0.25  # seconds between two pushes to one screen


def group_name(session_id: int) -> str:
    return f"checkin.{session_id}"


def announce(session: Session) -> None:
    """Tell the session's screens that the figures changed (called after a commit)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group_name(session.pk), {"type": "counter.changed"})


class CounterConsumer(AsyncJsonWebsocketConsumer):
    """ws/diem-danh/<session_id>/: sends {"present", "summoned", "base", ...} on every change."""

    async def connect(self):
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        self.session = await self._session()
        if self.session is None:
            await self.close(code=4403)
            return
        self.group = group_name(self.session_id)
        self.last_sent = 0.0
        self.pending: asyncio.Task | None = None
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._push()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if getattr(self, "pending", None):
            self.pending.cancel()

    async def counter_changed(self, event):
        if self.pending is not None and not self.pending.done():
            return  # a push is already scheduled and will read the latest figures
        wait = max(0.0, self.last_sent + MIN_INTERVAL - time.monotonic())
        self.pending = asyncio.ensure_future(self._push_after(wait))

    async def _push_after(self, wait: float):
        if wait:
            await asyncio.sleep(wait)
        await self._push()

    async def _push(self):
        self.last_sent = time.monotonic()
        await self.send_json(await self._figures())

    @database_sync_to_async
    def _session(self):
        user = signed_in_user(self.scope)
        if user is None or not user.has_perm("delegates.view_check_in_counter"):
            return None
        return Session.objects.select_related("congress").filter(pk=self.session_id).first()

    @database_sync_to_async
    def _figures(self) -> dict:
        from daihoi.delegates.services.checkin import counter

        return counter(self.session).as_json()
