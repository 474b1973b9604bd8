"""Kafka bus: the only module that imports kafka-python.

Each stage link is a read_committed consumer in the stage's group plus a transactional
producer whose transactional id is stable per instance (`<group>-<instance>`): a restarted
instance fences its dead predecessor and aborts whatever transaction it left open.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import (
    KafkaConnectionError,
    KafkaError,
    KafkaTimeoutError,
    ProducerFencedError,
    TopicAlreadyExistsError,
)
from kafka.structs import OffsetAndMetadata

from services.core.bus.port import Message, Outgoing, TransientBusError
from services.core.settings import TriageSettings

log = logging.getLogger(__name__)
T = TypeVar("T")


def connection_config(settings: TriageSettings) -> dict[str, Any]:
    """Bootstrap and security options shared by every client (TLS and SASL from the environment)."""
    config: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap.split(","),
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_sasl_mechanism:
        config["sasl_mechanism"] = settings.kafka_sasl_mechanism
        config["sasl_plain_username"] = settings.kafka_sasl_username
        config["sasl_plain_password"] = (
            settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else None
        )
    if settings.kafka_ssl_cafile:
        config["ssl_cafile"] = str(settings.kafka_ssl_cafile)
    return config


def _retriable(exc: KafkaError) -> bool:
    return bool(getattr(exc, "retriable", False)) or isinstance(exc, (KafkaConnectionError, KafkaTimeoutError))


def when_reachable(connect: Callable[[], T], stop: threading.Event, what: str) -> T | None:
    """`connect()` once the broker answers: a service started while the broker is away (restarting) waits for
    it, backing off up to 10 s, instead of exiting. None if `stop` is set first; errors no retry fixes raise."""
    backoff = 0.5
    while True:
        try:
            return connect()
        except KafkaError as exc:
            if not _retriable(exc):
                raise
            log.warning("%s: broker not reachable (%r); retrying in %.1fs", what, exc, backoff)
        if stop.wait(backoff):
            return None
        backoff = min(backoff * 2, 10.0)


class KafkaBus:
    def __init__(self, settings: TriageSettings, *, max_poll_interval_ms: int = 300_000) -> None:
        self._config = connection_config(settings)
        self._partitions = settings.kafka_topic_partitions
        self._session_timeout_ms = settings.kafka_session_timeout_ms
        self._max_poll_interval_ms = max_poll_interval_ms

    def stage_link(self, group: str, topics: Sequence[str], instance: str = "0") -> KafkaStageLink:
        return KafkaStageLink(self._config, group, topics, instance, self._max_poll_interval_ms,
                              self._session_timeout_ms)

    def publisher(self) -> KafkaPublisher:
        return KafkaPublisher(self._config)

    def ensure_topics(self, topics: Sequence[str]) -> None:
        admin = KafkaAdminClient(**self._config)
        try:
            missing = set(topics) - set(admin.list_topics())
            new = [NewTopic(name=t, num_partitions=self._partitions, replication_factor=1) for t in sorted(missing)]
            if new:
                with contextlib.suppress(TopicAlreadyExistsError):  # another process created them first
                    admin.create_topics(new)
        finally:
            admin.close()

    def close(self) -> None:
        return None


class KafkaStageLink:
    def __init__(self, config: dict[str, Any], group: str, topics: Sequence[str], instance: str,
                 max_poll_interval_ms: int, session_timeout_ms: int) -> None:
        # Heartbeats run on kafka-python's own thread, so a slow batch (OCR) only needs to
        # finish within max_poll_interval_ms to keep its partitions.
        self._consumer = KafkaConsumer(
            *topics, group_id=group, enable_auto_commit=False, isolation_level="read_committed",
            auto_offset_reset="earliest", max_poll_interval_ms=max_poll_interval_ms,
            fetch_max_wait_ms=20,  # each hop waits for its upstream's commit: do not let the broker hold fetches
            session_timeout_ms=session_timeout_ms, heartbeat_interval_ms=session_timeout_ms // 3, **config,
        )
        try:
            self._producer = KafkaProducer(
                transactional_id=f"{group}-{instance}", enable_idempotence=True, acks="all",
                transaction_timeout_ms=30_000, linger_ms=2, **config,
            )
            self._producer.init_transactions()
        except BaseException:
            self._consumer.close(autocommit=False)  # do not leave a member in the group behind
            raise
        self._rewind_pending = False

    def poll(self, max_records: int, timeout_s: float) -> list[Message]:
        try:
            if self._rewind_pending:
                self._seek_to_committed()
            polled = self._consumer.poll(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        except KafkaError as exc:
            if not _retriable(exc):
                raise
            # The broker is away (restarting, a leader moving): kafka-python lets a failed metadata
            # or coordinator lookup out of poll; the runner backs off and polls again.
            self._rewind_pending = True
            raise TransientBusError(f"poll failed: {exc!r}") from exc
        return [
            Message(r.topic, r.partition, r.offset, r.key, r.value, tuple((k, v or b"") for k, v in r.headers or ()))
            for records in polled.values()
            for r in records
        ]

    def commit(self, outputs: Sequence[Outgoing], consumed: Sequence[Message]) -> None:
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        for msg in consumed:
            tp = TopicPartition(msg.topic, msg.partition)
            if tp not in offsets or offsets[tp].offset <= msg.offset:
                offsets[tp] = OffsetAndMetadata(msg.offset + 1, "", -1)
        try:
            self._producer.begin_transaction()
            for out in outputs:
                self._producer.send(out.topic, key=out.key.encode(), value=out.value, headers=list(out.headers))
            self._producer.send_offsets_to_transaction(offsets, self._consumer.group_metadata())
            self._producer.commit_transaction()
        except ProducerFencedError:
            raise  # a newer instance with our transactional id is running: this one must stop
        except KafkaError as exc:
            self._abort_and_rewind()
            raise TransientBusError(f"transaction failed: {exc!r}") from exc

    def _abort_and_rewind(self) -> None:
        try:
            self._producer.abort_transaction()
        except KafkaError as exc:
            log.warning("abort failed: %r", exc)
        self.rewind()

    def lag(self) -> int:
        lag = 0
        for tp in self._consumer.assignment():
            highwater = self._consumer.highwater(tp)  # known once a fetch for the partition returned
            if highwater is not None:
                lag += max(highwater - self._consumer.position(tp), 0)
        return lag

    def rewind(self) -> None:
        """Go back to the committed offsets; if the broker cannot say what they are, the next poll does it."""
        self._rewind_pending = True
        try:
            self._seek_to_committed()
        except KafkaError as exc:
            log.warning("rewind deferred to the next poll: %r", exc)

    def give_back(self, messages: Sequence[Message]) -> None:
        first: dict[TopicPartition, int] = {}
        for msg in messages:
            tp = TopicPartition(msg.topic, msg.partition)
            first[tp] = min(first.get(tp, msg.offset), msg.offset)
        assigned = self._consumer.assignment()
        for tp, offset in first.items():
            if tp in assigned:  # a partition moved to another member is read from its committed offset there
                self._consumer.seek(tp, offset)

    def _seek_to_committed(self) -> None:
        for tp in self._consumer.assignment():
            committed = self._consumer.committed(tp)
            if committed is None:
                self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, committed)
        self._rewind_pending = False

    def close(self) -> None:
        self._consumer.close(autocommit=False)
        self._producer.close(timeout=10)


class KafkaPublisher:
    def __init__(self, config: dict[str, Any]) -> None:
        self._producer = KafkaProducer(
            acks="all", enable_idempotence=True, retries=2**31 - 1, linger_ms=2, **config
        )

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        futures = [
            self._producer.send(o.topic, key=o.key.encode(), value=o.value, headers=list(o.headers)) for o in outputs
        ]
        self._producer.flush()
        for future in futures:
            try:
                future.get(timeout=30)
            except KafkaError as exc:
                raise TransientBusError(f"publish failed: {exc!r}") from exc

    def close(self) -> None:
        self._producer.close(timeout=10)
