"""The benchmarks' bus tells how many members of a consumer group hold partitions (the load benchmark waits on it),
and how many partitions a topic has (the benchmark reports it)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence

import pytest

from benchmarks.kafka_tools import KafkaBenchBus
from services.core.bus.kafka import KafkaStageLink
from services.core.settings import TriageSettings

pytestmark = pytest.mark.kafka


def poll_until(condition: Callable[[], bool], links: Sequence[KafkaStageLink], what: str) -> None:
    """Poll the members (a consumer joins and rebalances only while it polls) until `condition` holds."""
    end = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < end, what
        for link in links:
            link.poll(10, 0.2)


def test_members_holding_partitions_are_counted_as_they_join_and_leave(kafka_bootstrap: str) -> None:
    bus = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, kafka_topic_partitions=2))
    topic, group = f"test.members.{uuid.uuid4().hex[:10]}", f"members-{uuid.uuid4().hex[:8]}"
    bus.ensure_topics([topic])
    assert bus.group_members(group) == 0  # not known yet

    first = bus.stage_link(group, [topic], "0")
    poll_until(lambda: bus.group_members(group) == 1, [first], "the first member never got partitions")
    second = bus.stage_link(group, [topic], "1")
    poll_until(lambda: bus.group_members(group) == 2, [first, second], "the second member never got a partition")

    second.close()
    poll_until(lambda: bus.group_members(group) == 1, [first], "the member that left is still counted")
    first.close()
    assert bus.group_members(group) == 0


def test_a_topic_has_the_partitions_it_was_made_with_and_asking_makes_none(kafka_bootstrap: str) -> None:
    made = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, kafka_topic_partitions=3))
    topic, missing = (f"test.partitions.{uuid.uuid4().hex[:10]}" for _ in range(2))
    made.ensure_topics([topic])
    later = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, kafka_topic_partitions=1))
    later.ensure_topics([topic])  # a topic that exists keeps its partitions
    assert later.partitions(topic) == 3
    assert later.partitions(missing) == 0
    assert later.partitions(missing) == 0  # asking did not create it (the broker creates topics on first use)
