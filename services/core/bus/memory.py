"""In-process bus: the embedded default. One partition per topic, group offsets, atomic commits.

A record keeps the writer's event beside its bytes until every group reading the topic has committed it,
so a stage in the same process takes the validated event instead of parsing the bytes again.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from services.core.bus.port import Message, Outgoing


class MemoryBus:
    """Topics as append-only lists shared by every stage of one process."""

    def __init__(self) -> None:
        self._topics: dict[str, list[Message]] = defaultdict(list)
        self._committed: dict[tuple[str, str], int] = defaultdict(int)  # (group, topic) -> next offset
        self._readers: dict[str, set[str]] = defaultdict(set)  # topic -> groups reading it
        self._unshared: dict[str, int] = defaultdict(int)  # topic -> offset below which no record keeps its event
        self._lock = threading.Lock()
        # One wake-up per reading group, all on the bus's lock: a write wakes only the groups reading its topic,
        # not every stage thread in the process.
        self._wake: dict[str, threading.Condition] = {}

    def stage_link(
        self, group: str, topics: Sequence[str], instance: str = "0", linger_ms: int | None = None
    ) -> MemoryStageLink:
        with self._lock:
            for topic in topics:
                self._readers[topic].add(group)
            wake = self._wake.setdefault(group, threading.Condition(self._lock))
        return MemoryStageLink(self, group, tuple(topics), wake, (linger_ms or 0) / 1000)

    def publisher(self) -> MemoryPublisher:
        return MemoryPublisher(self)

    def ensure_topics(self, topics: Sequence[str]) -> None:
        with self._lock:
            for topic in topics:
                self._topics.setdefault(topic, [])

    def close(self) -> None:
        with self._lock:
            for wake in self._wake.values():
                wake.notify_all()

    def messages(self, topic: str) -> list[Message]:
        """Everything written to a topic so far (for summaries and tests)."""
        with self._lock:
            return list(self._topics[topic])

    def lag(self, group: str, topic: str) -> int:
        with self._lock:
            return len(self._topics[topic]) - self._committed[(group, topic)]

    def _append(self, outputs: Sequence[Outgoing]) -> None:
        """Add the records and wake the groups that read their topics; call with the bus's lock held."""
        for out in outputs:
            log = self._topics[out.topic]
            event = out.event if self._readers.get(out.topic) else None  # no reader: nobody to hand it to
            log.append(Message(out.topic, 0, len(log), out.key.encode(), out.value, out.headers, event))
        for group in {group for topic in {out.topic for out in outputs} for group in self._readers.get(topic, ())}:
            self._wake[group].notify_all()

    def _release_events(self, topic: str) -> None:
        """Drop the events of records every reading group has committed: only their bytes are kept."""
        done = min(self._committed[(group, topic)] for group in self._readers[topic])
        log, start = self._topics[topic], self._unshared[topic]
        for offset in range(start, done):
            if log[offset].event is not None:
                log[offset] = replace(log[offset], event=None)
        self._unshared[topic] = max(start, done)


class MemoryStageLink:
    def __init__(
        self, bus: MemoryBus, group: str, topics: tuple[str, ...], wake: threading.Condition, linger_s: float = 0.0
    ) -> None:
        self._bus = bus
        self._group = group
        self._topics = topics
        self._wake = wake
        self._linger_s = linger_s
        # Records handed out but not yet committed: a group member owns its whole topic here.
        self._position = {t: bus._committed[(group, t)] for t in topics}

    def poll(self, max_records: int, timeout_s: float) -> list[Message]:
        deadline = time.monotonic() + timeout_s
        with self._bus._lock:
            batch = self._take(max_records)
            # Another member of the group may have taken the records that woke us: wait on until time is up.
            while not batch and (left := deadline - time.monotonic()) > 0:
                self._wake.wait(left)
                batch = self._take(max_records)
            # Records arriving one by one (FNOLs from HTTP requests): wait a little for more, so one transaction
            # takes them all, here and in every stage after.
            until = time.monotonic() + self._linger_s
            while batch and len(batch) < max_records and (left := until - time.monotonic()) > 0:
                self._wake.wait(left)
                batch += self._take(max_records - len(batch))
            return batch

    def _take(self, max_records: int) -> list[Message]:
        batch: list[Message] = []
        for topic in self._topics:
            log = self._bus._topics[topic]
            start = self._position[topic]
            taken = log[start : start + max_records - len(batch)]
            self._position[topic] = start + len(taken)
            batch.extend(taken)
        return batch

    def commit(self, outputs: Sequence[Outgoing], consumed: Sequence[Message]) -> None:
        with self._bus._lock:
            self._bus._append(outputs)
            for msg in consumed:
                key = (self._group, msg.topic)
                self._bus._committed[key] = max(self._bus._committed[key], msg.offset + 1)
            for topic in {msg.topic for msg in consumed}:
                self._bus._release_events(topic)

    def lag(self) -> int:
        with self._bus._lock:
            return sum(len(self._bus._topics[t]) - self._bus._committed[(self._group, t)] for t in self._topics)

    def rewind(self) -> None:
        """Forget uncommitted records so the next poll returns them again (as after a crash)."""
        with self._bus._lock:
            self._position = {t: self._bus._committed[(self._group, t)] for t in self._topics}

    def give_back(self, messages: Sequence[Message]) -> None:
        with self._bus._lock:
            for msg in messages:
                self._position[msg.topic] = min(self._position[msg.topic], msg.offset)

    def close(self) -> None:
        self.rewind()


class MemoryPublisher:
    def __init__(self, bus: MemoryBus) -> None:
        self._bus = bus

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        with self._bus._lock:
            self._bus._append(outputs)

    def close(self) -> None:
        return None
