"""A tail reads what is published after it was made, on every partition, and nothing from before."""

from __future__ import annotations

import time
import uuid

import pytest

from benchmarks.kafka_tools import KafkaBenchBus
from services.core.bus.port import Outgoing
from services.core.settings import TriageSettings

pytestmark = pytest.mark.kafka


def test_a_tail_reads_only_what_comes_after_it(kafka_bootstrap: str) -> None:
    bus = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, kafka_topic_partitions=3))
    first, second = (f"test.tail.{uuid.uuid4().hex[:10]}" for _ in range(2))
    bus.ensure_topics([first, second])
    publisher = bus.publisher()
    publisher.publish([Outgoing(topic, f"old-{i}", b"old") for topic in (first, second) for i in range(30)])

    tail = bus.tail([first, second])
    new = [Outgoing(topic, f"new-{topic[-4:]}-{i}", b"new") for topic in (first, second) for i in range(30)]
    publisher.publish(new)
    seen: list[tuple[str, str]] = []
    end = time.monotonic() + 60
    while len(seen) < len(new) and time.monotonic() < end:
        seen += [(m.topic, m.key.decode() if m.key else "") for m in tail.poll(100, 0.5)]
    seen += [(m.topic, m.key.decode() if m.key else "") for m in tail.poll(100, 0.5)]  # anything beyond
    tail.close()
    assert sorted(seen) == sorted((out.topic, out.key) for out in new)


def test_a_tail_of_a_topic_that_does_not_exist_is_refused(kafka_bootstrap: str) -> None:
    bus = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap))
    with pytest.raises(ValueError, match="no such topics: test.tail.missing"):
        bus.tail(["test.tail.missing"])


def test_a_tail_of_topics_made_a_moment_ago_waits_for_their_leaders(kafka_bootstrap: str) -> None:
    # On a fresh broker the partitions' leaders are still being put in place when the topics exist: asking for
    # their end offsets then is answered NOT_LEADER_FOR_PARTITION (seen from the load benchmark's first round).
    bus = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, kafka_topic_partitions=8))
    made = [f"test.tail.{uuid.uuid4().hex[:10]}" for _ in range(8)]
    bus.ensure_topics(made)
    tail = bus.tail(made)
    bus.publisher().publish([Outgoing(topic, "k", b"v") for topic in made])
    seen: list[str] = []
    end = time.monotonic() + 60
    while len(seen) < len(made) and time.monotonic() < end:
        seen += [m.topic for m in tail.poll(100, 0.5)]
    tail.close()
    assert sorted(seen) == sorted(made)
