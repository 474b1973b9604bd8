"""The bus port and its adapters, chosen by TRIAGE_BUS."""

from __future__ import annotations

from services.core.bus.memory import MemoryBus
from services.core.bus.port import Bus, Message, Outgoing, Publisher, StageLink, TransientBusError
from services.core.settings import TriageSettings

__all__ = ["Bus", "MemoryBus", "Message", "Outgoing", "Publisher", "StageLink", "TransientBusError", "make_bus"]


def make_bus(settings: TriageSettings, *, max_poll_interval_ms: int = 300_000) -> Bus:
    """The bus the settings name: the Kafka client is imported only when Kafka is chosen."""
    if settings.bus == "kafka":
        from services.core.bus.kafka import KafkaBus

        return KafkaBus(settings, max_poll_interval_ms=max_poll_interval_ms)
    return MemoryBus()
