"""One contract, both adapters: the in-process bus and the real Kafka broker."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from services.core.bus.memory import MemoryBus
from services.core.bus.port import Bus, Message, Outgoing, StageLink
from services.core.settings import TriageSettings


@pytest.fixture(params=["memory", pytest.param("kafka", marks=pytest.mark.kafka)])
def bus(request: pytest.FixtureRequest) -> Iterator[Bus]:
    if request.param == "memory":
        yield MemoryBus()
        return
    from services.core.bus.kafka import KafkaBus

    bootstrap = request.getfixturevalue("kafka_bootstrap")
    yield KafkaBus(TriageSettings(bus="kafka", kafka_bootstrap=bootstrap, kafka_topic_partitions=2))


def fresh_topic(bus: Bus) -> str:
    topic = f"test.contract.{uuid.uuid4().hex[:10]}"
    bus.ensure_topics([topic])
    return topic


def poll_until(link: StageLink, count: int, deadline_s: float = 30.0) -> list[Message]:
    """Poll until `count` records arrived (Kafka needs a rebalance first); fail at the deadline."""
    got: list[Message] = []
    end = time.monotonic() + deadline_s
    while len(got) < count and time.monotonic() < end:
        got.extend(link.poll(100, 0.5))
    return got


def test_published_records_reach_a_group_with_key_value_and_headers(bus: Bus) -> None:
    topic = fresh_topic(bus)
    bus.publisher().publish([Outgoing(topic, f"c{i}", f"v{i}".encode(), (("h", b"x"),)) for i in range(5)])
    link = bus.stage_link("g1", [topic], "0")
    got = poll_until(link, 5)
    assert sorted(m.value for m in got) == [f"v{i}".encode() for i in range(5)]
    assert {m.key for m in got} == {f"c{i}".encode() for i in range(5)}
    assert all(dict(m.headers)["h"] == b"x" for m in got)
    link.close()


def test_commit_writes_outputs_and_a_new_member_does_not_see_consumed_records(bus: Bus) -> None:
    source, sink = fresh_topic(bus), fresh_topic(bus)
    bus.publisher().publish([Outgoing(source, f"c{i}", b"in") for i in range(4)])
    first = bus.stage_link("g2", [source], "0")
    batch = poll_until(first, 4)
    first.commit([Outgoing(sink, m.key.decode(), b"out") for m in batch if m.key], batch)
    first.close()
    bus.publisher().publish([Outgoing(source, "c0", b"marker")])
    second = bus.stage_link("g2", [source], "0")
    assert [m.value for m in poll_until(second, 1)] == [b"marker"]  # nothing committed came back before it
    second.close()
    reader = bus.stage_link("reader", [sink], "0")
    assert [m.value for m in poll_until(reader, 4)] == [b"out"] * 4
    reader.close()


def test_uncommitted_records_come_back_to_the_next_member(bus: Bus) -> None:
    topic = fresh_topic(bus)
    bus.publisher().publish([Outgoing(topic, "c1", b"a"), Outgoing(topic, "c1", b"b")])
    crashed = bus.stage_link("g3", [topic], "0")
    assert len(poll_until(crashed, 2)) == 2
    crashed.close()  # no commit: as if the process died
    again = bus.stage_link("g3", [topic], "0")
    assert [m.value for m in poll_until(again, 2)] == [b"a", b"b"]
    again.close()


def test_records_given_back_come_again_with_the_next_poll_and_the_rest_stay_committed(bus: Bus) -> None:
    topic = fresh_topic(bus)
    bus.publisher().publish([Outgoing(topic, "c1", f"v{i}".encode()) for i in range(4)])  # one key: one partition
    link = bus.stage_link("g5", [topic], "0")
    batch = poll_until(link, 4)
    assert [m.value for m in batch] == [b"v0", b"v1", b"v2", b"v3"]
    link.give_back(batch[2:])
    link.commit([], batch[:2])
    assert [m.value for m in poll_until(link, 2)] == [b"v2", b"v3"]
    link.close()  # v2 and v3 were never committed: a new member reads them, and only them, again
    again = bus.stage_link("g5", [topic], "0")
    assert [m.value for m in poll_until(again, 2)] == [b"v2", b"v3"]
    again.close()


def test_each_group_reads_every_record(bus: Bus) -> None:
    topic = fresh_topic(bus)
    bus.publisher().publish([Outgoing(topic, "k", b"x")])
    for group in ("ga", "gb"):
        link = bus.stage_link(group, [topic], "0")
        assert [m.value for m in poll_until(link, 1)] == [b"x"]
        link.close()
