"""The bus port and its adapters, chosen by TRIAGE_BUS."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from services.core.bus.memory import MemoryBus
from services.core.bus.port import Bus, Message, Outgoing, Publisher, StageLink, TransientBusError
from services.core.settings import TriageSettings

__all__ = [
    "Bus",
    "MemoryBus",
    "Message",
    "Outgoing",
    "Publisher",
    "StageLink",
    "TransientBusError",
    "make_bus",
    "when_reachable",
]
T = TypeVar("T")


def make_bus(settings: TriageSettings, *, max_poll_interval_ms: int = 300_000) -> Bus:
    """The bus the settings name: the Kafka client is imported only when Kafka is chosen."""
    if settings.bus == "kafka":
        from services.core.bus.kafka import KafkaBus

        return KafkaBus(settings, max_poll_interval_ms=max_poll_interval_ms)
    return MemoryBus()


def when_reachable(settings: TriageSettings, connect: Callable[[], T], stop: threading.Event, what: str) -> T | None:
    """`connect()` (to the bus the settings name) once its broker answers, retrying what a retry fixes; None if
    `stop` is set first. The in-process bus has no broker to wait for."""
    if settings.bus == "kafka":
        from services.core.bus.kafka import when_reachable as when_kafka_reachable

        return when_kafka_reachable(connect, stop, what)
    return connect()
