"""What benchmarks and tests read from a Kafka broker beyond the bus port: a tail of some topics from their end on,
how many partitions a topic has, how many members of a group hold partitions."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

from services.core.bus.kafka import KafkaBus
from services.core.bus.kafka.config import client_config
from services.core.bus.kafka.errors import REQUEST_TIMEOUT_S, kafka_error, until_answered
from services.core.bus.kafka.records import polled_messages
from services.core.bus.port import Message

# A partition's leader being elected or moved: the request is right, the broker will have it shortly.
_LEADER_MOVING = {
    KafkaError.NOT_LEADER_FOR_PARTITION,
    KafkaError.LEADER_NOT_AVAILABLE,
    KafkaError.UNKNOWN_TOPIC_OR_PART,
}


class KafkaBenchBus(KafkaBus):
    """The Kafka bus with the broker's answers a benchmark or a test waits on, which no service needs."""

    def partitions(self, topic: str) -> int:
        """How many partitions `topic` has on the broker (0 if it does not exist)."""
        admin, errors = self._admin()
        known = until_answered(lambda timeout: admin.list_topics(topic, timeout=timeout), admin.poll, errors).topics
        found = known.get(topic)
        return len(found.partitions) if found is not None and found.error is None else 0

    def tail(self, topics: Sequence[str]) -> KafkaTail:
        """A reader of what is committed to `topics` from now on (no consumer group, nothing of the past)."""
        return KafkaTail(self._config, topics)

    def group_members(self, group: str) -> int:
        """How many members of a consumer group hold partitions now (0 for a group unknown or empty)."""
        admin, errors = self._admin()
        try:
            description = admin.describe_consumer_groups([group], request_timeout=REQUEST_TIMEOUT_S)[group].result()
        except KafkaException as exc:
            raise errors.explain(exc) from exc
        return sum(
            1 for member in description.members if member.assignment is not None and member.assignment.topic_partitions
        )


class KafkaTail:
    """Reads the records committed to some topics after it was made: every partition is assigned at its end offset,
    so a reader for one benchmark round neither joins a group nor reads the millions of records before it."""

    def __init__(self, config: dict[str, Any], topics: Sequence[str]) -> None:
        consumer_config, errors = client_config(config, "triage-tail")
        # librdkafka wants a group id even for a consumer that only assigns: a throwaway one, never joined or committed.
        self._consumer = Consumer(
            {
                **consumer_config,
                "group.id": f"triage-tail-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            }
        )
        try:
            # Nothing is assigned yet: serving the callbacks with poll reads no record.
            known = until_answered(
                lambda timeout: self._consumer.list_topics(timeout=timeout), self._consumer.poll, errors
            ).topics
            starts = []
            for topic in topics:
                for partition in sorted(known[topic].partitions) if topic in known else ():
                    starts.append(TopicPartition(topic, partition, self._end_offset(topic, partition)))
        except KafkaException as exc:
            self._consumer.close()
            raise errors.explain(exc) from exc
        missing = [topic for topic in topics if topic not in known]
        if missing:
            self._consumer.close()
            raise ValueError(f"no such topics: {', '.join(missing)}")
        self._consumer.assign(starts)

    def _end_offset(self, topic: str, partition: int) -> int:
        # A topic made a moment ago may not have its leader in place yet (NOT_LEADER_FOR_PARTITION): asked again.
        deadline = time.monotonic() + REQUEST_TIMEOUT_S
        while True:
            try:
                _, end = self._consumer.get_watermark_offsets(
                    TopicPartition(topic, partition), timeout=REQUEST_TIMEOUT_S
                )
                return int(end)
            except KafkaException as exc:
                if kafka_error(exc).code() not in _LEADER_MOVING or time.monotonic() > deadline:
                    raise
            time.sleep(0.1)

    def poll(self, max_records: int, timeout_s: float) -> list[Message]:
        return polled_messages(self._consumer.consume(max_records, timeout_s))

    def close(self) -> None:
        self._consumer.close()
