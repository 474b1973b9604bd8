"""A consumer left outside its group (librdkafka after a broker restart) is replaced and reads on from the commit."""

from __future__ import annotations

import time
import uuid

import pytest

from services.core.bus.kafka import KafkaBus, KafkaStageLink
from services.core.bus.kafka.link import REJOIN_TIMEOUT_S
from services.core.bus.port import Message, Outgoing
from services.core.settings import TriageSettings

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def poll_until(link: KafkaStageLink, count: int) -> list[Message]:
    got: list[Message] = []
    end = time.monotonic() + 60
    while len(got) < count:
        assert time.monotonic() < end, f"only {len(got)} of {count} records arrived"
        got += link.poll(100, 0.5)
    return got


def test_a_consumer_not_back_in_its_group_is_replaced(kafka_bootstrap: str) -> None:
    bus = KafkaBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap))
    source, sink = (f"test.rejoin.{name}.{uuid.uuid4().hex[:8]}" for name in ("in", "out"))
    bus.ensure_topics([source, sink])
    publisher = bus.publisher()
    publisher.publish([Outgoing(source, f"C{i}", b"first") for i in range(10)])
    link = bus.stage_link(f"rejoin-{uuid.uuid4().hex[:8]}", [source], "0")
    first = poll_until(link, 10)
    link.commit([Outgoing(sink, m.key.decode(), m.value) for m in first if m.key], first)

    stuck = link._consumer
    link._revoked(stuck, [])  # what librdkafka reports when the session times out, and then no assignment came:
    link._joining_since = time.monotonic() - REJOIN_TIMEOUT_S  # as if for the whole rejoin timeout
    publisher.publish([Outgoing(source, f"C{i}", b"second") for i in range(10, 15)])
    second = poll_until(link, 5)

    assert link._consumer is not stuck
    assert sorted(m.value for m in second) == [b"second"] * 5  # from the committed offsets: nothing read twice
    link.close()
