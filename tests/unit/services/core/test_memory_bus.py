"""The in-process bus's own behaviour beyond the bus contract: who a write wakes, and lingering for more."""

from __future__ import annotations

import threading
import time

from services.core.bus.memory import MemoryBus
from services.core.bus.port import Message, Outgoing


def record(topic: str, key: str) -> Outgoing:
    return Outgoing(topic, key, key.encode())


def test_a_lingering_poll_gathers_records_that_arrive_after_its_first_into_one_batch() -> None:
    bus = MemoryBus()
    link = bus.stage_link("intake", ["inbound"], linger_ms=60_000)
    bus.publisher().publish([record("inbound", "a")])
    lingering, wait = threading.Event(), link._wake.wait

    def wait_told(timeout: float | None = None) -> bool:
        lingering.set()  # the poll holds "a" and waits for more
        return wait(timeout)

    link._wake.wait = wait_told  # type: ignore[method-assign]
    taken: list[Message] = []
    poll = threading.Thread(target=lambda: taken.extend(link.poll(max_records=2, timeout_s=1)))
    began = time.monotonic()
    poll.start()
    assert lingering.wait(30)
    bus.publisher().publish([record("inbound", "b")])
    poll.join(30)
    assert [m.key for m in taken] == [b"a", b"b"]
    assert time.monotonic() - began < 30  # a full batch ends the linger at once


def test_a_poll_without_linger_takes_what_is_there() -> None:
    bus = MemoryBus()
    link = bus.stage_link("fraud", ["scored"])
    bus.publisher().publish([record("scored", "a")])
    assert [m.key for m in link.poll(max_records=10, timeout_s=5)] == [b"a"]


def test_a_write_wakes_the_groups_reading_its_topic_only() -> None:
    bus = MemoryBus()
    reader, other = bus.stage_link("severity", ["scored"]), bus.stage_link("router", ["estimated"])
    woke = {"severity": 0, "router": 0}
    for group in woke:
        wake = bus._wake[group]
        original = wake.notify_all

        def counted(group: str = group, original: object = original) -> None:
            woke[group] += 1
            original()  # type: ignore[operator]

        wake.notify_all = counted  # type: ignore[method-assign]
    bus.publisher().publish([record("scored", "a")])
    assert woke == {"severity": 1, "router": 0}
    assert [m.key for m in reader.poll(10, 1)] == [b"a"] and other.poll(10, 0.01) == []
