"""The bus port: what the runner needs from a transport, whichever adapter provides it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Headers = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Message:
    """A record read from a topic."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: Headers = ()
    # The in-process bus hands the writer's (frozen) event along with its bytes, so a reader in the same
    # process need not parse what was just serialized; a transport between processes leaves it None.
    event: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Outgoing:
    """A record to write: keyed by claim id so one claim stays on one partition."""

    topic: str
    key: str
    value: bytes
    headers: Headers = field(default=())
    event: Any = field(default=None, compare=False, repr=False)  # the value as an event, when the writer has it


class TransientBusError(Exception):
    """The transport failed in a way a retry can fix (broker restart, fenced producer)."""


class StageLink(Protocol):
    """A member of one consumer group that writes its outputs and offsets atomically."""

    def poll(self, max_records: int, timeout_s: float) -> list[Message]:
        """Up to max_records records not yet committed by this group; [] after timeout_s."""
        ...

    def commit(self, outputs: Sequence[Outgoing], consumed: Sequence[Message]) -> None:
        """Write outputs and mark consumed as done, all or nothing.

        On failure raises TransientBusError and rewinds to the last committed position,
        so the same records come back from the next poll.
        """
        ...

    def rewind(self) -> None:
        """Go back to the last committed position: the next poll returns uncommitted records again."""
        ...

    def give_back(self, messages: Sequence[Message]) -> None:
        """Hand back the tail of the last poll, not handled: the next poll starts again from the first of them."""
        ...

    def lag(self) -> int:
        """Records in this member's input not yet committed (as far as it knows)."""
        ...

    def close(self) -> None: ...


class Publisher(Protocol):
    """Writes records outside any consumer group (intake over HTTP, load generators)."""

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        """Returns once every record is durably written (acks=all on Kafka)."""
        ...

    def close(self) -> None: ...


class Bus(Protocol):
    def stage_link(self, group: str, topics: Sequence[str], instance: str, linger_ms: int | None = None) -> StageLink:
        """Join consumer group `group` on `topics`; `instance` is stable across restarts.

        `linger_ms`: how long a poll that found some records waits for more while records come in a stream
        (None: the bus's own setting).
        """
        ...

    def publisher(self) -> Publisher: ...

    def ensure_topics(self, topics: Sequence[str]) -> None:
        """Create the topics if they do not exist yet."""
        ...

    def close(self) -> None: ...
