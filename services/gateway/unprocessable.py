"""422 for a scoring request BentoML refuses: its validation error names each bad feature, but as a 400.

The project answers an unprocessable body with 422 everywhere (the intake API does, through FastAPI);
BentoML's input validation answers 400 with the same detail, pydantic's list of errors, each with
its `loc` (e.g. `["claims", 0, "features", "claimant_age"]`) and `msg`. This ASGI middleware only
changes that status on the scoring routes; the body passes through untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class UnprocessableEntity:
    """Turns a 400 from the given routes into a 422."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...]) -> None:
        self.app, self.paths = app, frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return

        async def send_422(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 400:
                message = {**message, "status": 422}
            await send(message)

        await self.app(scope, receive, send_422)
