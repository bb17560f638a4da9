"""A websocket client for consumer tests, on asgiref's ApplicationCommunicator (channels' own
test package imports daphne, which this project does not need)."""

from __future__ import annotations

import json

from asgiref.testing import ApplicationCommunicator


class Socket:
    def __init__(self, application, path: str, user, session: dict | None = None):
        scope = {
            "type": "websocket",
            "path": path,
            "query_string": b"",
            "headers": [],
            "subprotocols": [],
            "user": user,
            "session": session or {},
        }
        self.communicator = ApplicationCommunicator(application, scope)

    async def connect(self, timeout: float = 2) -> tuple[bool, int | None]:
        await self.communicator.send_input({"type": "websocket.connect"})
        message = await self.communicator.receive_output(timeout)
        if message["type"] == "websocket.close":
            return False, message.get("code")
        return True, None

    async def receive_json(self, timeout: float = 1):
        message = await self.communicator.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def receive_nothing(self, timeout: float = 0.1) -> bool:
        return await self.communicator.receive_nothing(timeout)

    async def disconnect(self) -> None:
        await self.communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.communicator.wait(1)
