"""Publishers for API tests: one whose broker acknowledges only when the test lets it."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from services.core.bus.port import Outgoing, TransientBusError


class HeldByTheBroker:
    """A publisher whose acknowledgement comes only when the test lets it (`release`); what it took is `published`."""

    def __init__(self) -> None:
        self.waiting, self.release = threading.Event(), threading.Event()
        self.published: list[Outgoing] = []

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        self.waiting.set()
        if not self.release.wait(30):
            raise TransientBusError("publish failed: not released")
        self.published.extend(outputs)

    def close(self) -> None:
        self.release.set()
