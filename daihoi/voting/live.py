"""Live counters of open votes: one batched broadcast per vote per interval, never one message
per vote cast per browser.

A cast marks its vote as changed in the cache (one cheap write). Each websocket process runs one
broadcaster task; every INTERVAL it looks at the votes its screens watch, and for a changed vote
it reads the counts once and sends them with ONE group_send to the vote's group. A per-slot
cache key (`cache.add`) lets only one process broadcast a given vote in a given interval, so
several processes behind Redis still send one message per interval.
"""

from __future__ import annotations

import asyncio
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.core.cache import cache

from daihoi.core.websocket import signed_in_user

INTERVAL = 0.25  # seconds: at most 4 broadcasts a second per vote
_watched: dict[int, int] = {}  # vote id → screens watching it in this process
_sent: dict[int, float] = {}  # vote id → change stamp already broadcast by this process
_task: asyncio.Task | None = None


def group_name(vote_id: int) -> str:
    return f"vote.{vote_id}"


def _dirty_key(vote_id: int) -> str:
    return f"vote-changed:{vote_id}"


def mark_changed(vote_id: int) -> None:
    cache.set(_dirty_key(vote_id), time.time(), timeout=3600)


@database_sync_to_async
def figures(vote_id: int) -> dict | None:
    from daihoi.voting.models import OpenVote
    from daihoi.voting.services import result

    vote = OpenVote.objects.select_related("congress").filter(pk=vote_id).first()
    if vote is None:
        return None
    outcome = result(vote)
    return {
        "vote": vote_id, "state": vote.state, "yes": outcome.yes, "no": outcome.no,
        "abstain": outcome.abstain, "received": outcome.received, "base": outcome.base,
        "passed": outcome.passed if vote.state != "open" else None,
        "percent_yes": outcome.percent_yes if vote.state != "open" else "",
    }  # fmt: skip


async def _broadcast_once() -> None:
    layer = get_channel_layer()
    slot = int(time.time() / INTERVAL)
    for vote_id in list(_watched):
        stamp = await database_sync_to_async(cache.get)(_dirty_key(vote_id))
        if stamp is None or _sent.get(vote_id) == stamp:
            continue
        _sent[vote_id] = stamp
        won = await database_sync_to_async(cache.add)(f"vote-slot:{vote_id}:{slot}", 1, 5)
        if not won:
            continue  # another process sends this interval's counters
        data = await figures(vote_id)
        if data is not None:
            await layer.group_send(group_name(vote_id), {"type": "counters", "data": data})


async def _broadcaster() -> None:
    while _watched:
        started = time.monotonic()
        await _broadcast_once()
        await asyncio.sleep(max(0.0, INTERVAL - (time.monotonic() - started)))


def _ensure_broadcaster() -> None:
    global _task
    if _task is None or _task.done():
        _task = asyncio.ensure_future(_broadcaster())


class VoteCountersConsumer(AsyncJsonWebsocketConsumer):
    """ws/bieu-quyet/<vote_id>/: the projector's and the delegates' live counters."""

    async def connect(self):
        self.vote_id = int(self.scope["url_route"]["kwargs"]["vote_id"])
        if not await self._allowed():
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(group_name(self.vote_id), self.channel_name)
        await self.accept()
        _watched[self.vote_id] = _watched.get(self.vote_id, 0) + 1
        _ensure_broadcaster()
        data = await figures(self.vote_id)
        if data is not None:
            await self.send_json(data)

    async def disconnect(self, code):
        if getattr(self, "vote_id", None) in _watched:
            _watched[self.vote_id] -= 1
            if _watched[self.vote_id] <= 0:
                del _watched[self.vote_id]
        await self.channel_layer.group_discard(group_name(self.vote_id), self.channel_name)

    async def counters(self, event):
        await self.send_json(event["data"])

    @database_sync_to_async
    def _allowed(self) -> bool:
        user = signed_in_user(self.scope)
        return bool(user and user.has_perm("voting.watch"))
