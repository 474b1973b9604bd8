"""A stage's poll waits up to its linger for more records after the first, and no longer than a full batch takes;
not at all for a record that comes alone after a quiet spell."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from services.core.bus.kafka import KafkaBus, KafkaPublisher, KafkaStageLink
from services.core.bus.port import Message, Outgoing
from services.core.settings import TriageSettings

pytestmark = pytest.mark.kafka
LATE_S = 0.5  # the second record comes this long after the first


def settled_link(
    kafka_bootstrap: str, linger_ms: int, stage_linger_ms: int | None = None
) -> tuple[KafkaStageLink, KafkaPublisher, str]:
    """A stage link on a new one-partition topic whose group has settled, the publisher, and the topic.

    `linger_ms` is the bus-wide linger, `stage_linger_ms` the stage's own (None: the bus-wide one).
    """
    bus = KafkaBus(
        TriageSettings(
            bus="kafka", kafka_bootstrap=kafka_bootstrap, kafka_topic_partitions=1, kafka_batch_linger_ms=linger_ms
        )
    )
    topic = f"test.linger.{uuid.uuid4().hex[:10]}"
    bus.ensure_topics([topic])
    publisher = bus.publisher()
    link = bus.stage_link(f"linger-{uuid.uuid4().hex[:8]}", [topic], "0", stage_linger_ms)
    publisher.publish([Outgoing(topic, "warm", b"warm")])  # the member joins and reads it: the group is settled
    end = time.monotonic() + 60
    warm: list[Message] = []
    while not warm:
        assert time.monotonic() < end, "the consumer never joined its group"
        warm = link.poll(10, 0.5)
    link.commit([], warm)
    return link, publisher, topic


def first_and_late(
    kafka_bootstrap: str, linger_ms: int, stage_linger_ms: int | None = None
) -> tuple[list[Message], float]:
    """What one poll returns when a record is waiting and another is published LATE_S later, and how long it took."""
    link, publisher, topic = settled_link(kafka_bootstrap, linger_ms, stage_linger_ms)
    publisher.publish([Outgoing(topic, "first", b"first")])
    late = threading.Timer(LATE_S, lambda: publisher.publish([Outgoing(topic, "late", b"late")]))
    started = time.monotonic()
    late.start()
    try:
        polled = link.poll(2, 10.0)
        took = time.monotonic() - started
    finally:
        late.join()
        link.close()
    return polled, took


def test_a_poll_lingers_for_the_record_that_comes_just_after_the_first(kafka_bootstrap: str) -> None:
    polled, took = first_and_late(kafka_bootstrap, linger_ms=5_000)
    assert [m.value for m in polled] == [b"first", b"late"]
    assert took < 4.0  # the batch (two records) was full when the late one came: no waiting out the linger


def test_without_a_linger_a_poll_takes_what_is_there(kafka_bootstrap: str) -> None:
    polled, took = first_and_late(kafka_bootstrap, linger_ms=0)
    assert [m.value for m in polled] == [b"first"]
    assert took < LATE_S


def test_a_stages_own_linger_overrides_the_bus_wide_one(kafka_bootstrap: str) -> None:
    polled, _ = first_and_late(kafka_bootstrap, linger_ms=0, stage_linger_ms=5_000)
    assert [m.value for m in polled] == [b"first", b"late"]
    polled, took = first_and_late(kafka_bootstrap, linger_ms=5_000, stage_linger_ms=0)
    assert [m.value for m in polled] == [b"first"]
    assert took < LATE_S


def test_a_record_that_comes_after_a_quiet_spell_is_not_held_for_the_linger(kafka_bootstrap: str) -> None:
    link, publisher, topic = settled_link(kafka_bootstrap, linger_ms=2_000)
    # Quiet for 2.5 s, longer than the linger; then one record, and another half a second later.
    first = threading.Timer(2.5, lambda: publisher.publish([Outgoing(topic, "first", b"first")]))
    late = threading.Timer(3.0, lambda: publisher.publish([Outgoing(topic, "late", b"late")]))
    first.start()
    late.start()
    try:
        polled = link.poll(2, 10.0)
    finally:
        first.join()
        late.join()
        link.close()
    assert [m.value for m in polled] == [b"first"]  # lingering would have waited for the late one
