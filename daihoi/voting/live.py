"""Live counters of open votes: one batched push per vote per interval, never one message per
vote cast per browser.

Casting writes nothing for the screens (the hot path stays one statement and one INSERT). Each
websocket process runs one broadcaster task: every INTERVAL it reads the counters of the votes
its own screens watch (one small GROUP BY per vote), and when they changed it encodes them ONCE
and writes that frame to each of its local screens. Several processes each serve their own
screens the same way, so no channel layer sits between a vote and its viewers: measured on this
machine, a channel-layer hop per screen cost about 0.2 ms of CPU per delivered frame
(../shared/docs/peers.md), which at 1,000 screens and 4 pushes a second is most of a core.
A closed or published vote is pushed on the next tick, well within a second.
"""

from __future__ import annotations

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from daihoi.core.websocket import signed_in_user

INTERVAL = 0.25  # seconds: at most 4 pushes a second per vote
_screens: dict[int, set[VoteCountersConsumer]] = {}  # vote id → this process's screens
_sent: dict[int, tuple] = {}  # vote id → fingerprint of the counters last pushed
_task: asyncio.Task | None = None


def _fingerprint(vote_id: int) -> tuple | None:
    """(state, counts per choice): cheap, read every interval to decide whether to push."""
    from django.db.models import Count

    from daihoi.voting.models import OpenVote, VoteCast

    state = OpenVote.objects.filter(pk=vote_id).values_list("state", flat=True).first()
    if state is None:
        return None
    rows = VoteCast.objects.filter(vote_id=vote_id).values_list("choice").annotate(n=Count("pk"))
    return (state, tuple(sorted(rows.values_list("choice", "n"))))


def figures(vote_id: int) -> dict | None:
    from daihoi.voting.models import OpenVote
    from daihoi.voting.services import result

    vote = OpenVote.objects.select_related("congress").filter(pk=vote_id).first()
    if vote is None:
        return None
    outcome = result(vote)
    final = vote.state != "open"
    return {
        "vote": vote_id, "state": vote.state, "yes": outcome.yes, "no": outcome.no,
        "abstain": outcome.abstain, "received": outcome.received, "base": outcome.base,
        "passed": outcome.passed if final else None,
        "percent_yes": outcome.percent_yes if final else "",
    }  # fmt: skip


@database_sync_to_async
def _changed_frames() -> dict[int, str]:
    """The encoded counters of every watched vote whose counters moved since the last push."""
    frames = {}
    for vote_id in list(_screens):
        mark = _fingerprint(vote_id)
        if mark is None or _sent.get(vote_id) == mark:
            continue
        data = figures(vote_id)
        if data is not None:
            _sent[vote_id] = mark
            data["sent_at"] = round(time.time(), 4)  # lets a screen (or a benchmark) see the lag
            frames[vote_id] = json.dumps(data, ensure_ascii=False)
    return frames


async def _push(vote_id: int, frame: str) -> None:
    for screen in list(_screens.get(vote_id, ())):
        try:
            await screen.send(text_data=frame)
        except Exception:  # noqa: BLE001 — a screen that went away must not stop the others
            _screens.get(vote_id, set()).discard(screen)


async def _broadcaster() -> None:
    while _screens:
        started = time.monotonic()
        for vote_id, frame in (await _changed_frames()).items():
            await _push(vote_id, frame)
        await asyncio.sleep(max(0.0, INTERVAL - (time.monotonic() - started)))


def _ensure_broadcaster() -> None:
    global _task
    if _task is None or _task.done():
        _task = asyncio.ensure_future(_broadcaster())


class VoteCountersConsumer(AsyncWebsocketConsumer):
    """ws/bieu-quyet/<vote_id>/: the projector's and the delegates' live counters."""

    # Frames are written to the screens directly (see the module's docstring): no channel, no
    # channel-layer subscription per screen.
    channel_layer_alias = None

    async def connect(self):
        self.vote_id = int(self.scope["url_route"]["kwargs"]["vote_id"])
        if not await self._allowed():
            await self.close(code=4403)
            return
        await self.accept()
        data = await database_sync_to_async(figures)(self.vote_id)
        if data is not None:
            await self.send(text_data=json.dumps(data, ensure_ascii=False))
        _screens.setdefault(self.vote_id, set()).add(self)
        _ensure_broadcaster()

    async def disconnect(self, code):
        screens = _screens.get(getattr(self, "vote_id", None))
        if screens is not None:
            screens.discard(self)
            if not screens:
                del _screens[self.vote_id]
                _sent.pop(self.vote_id, None)

    @database_sync_to_async
    def _allowed(self) -> bool:
        user = signed_in_user(self.scope, hall_allowed=True)
        return bool(user and user.has_perm("voting.watch"))
