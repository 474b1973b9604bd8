"""The Kafka bus: topics made on the broker, stage links and publishers handed out, and the wait for a broker
that is away."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from services.core.bus.kafka.config import client_config, connection_config
from services.core.bus.kafka.errors import REQUEST_TIMEOUT_S, LastError, kafka_error, retriable, until_answered
from services.core.bus.kafka.link import KafkaStageLink
from services.core.bus.kafka.publisher import KafkaPublisher
from services.core.settings import TriageSettings

log = logging.getLogger(__package__)  # the adapter's one logger, whichever of its modules logs
T = TypeVar("T")


def when_reachable(connect: Callable[[], T], stop: threading.Event, what: str) -> T | None:
    """`connect()` once the broker answers: a service started while the broker is away (restarting) waits for
    it, backing off up to 10 s, instead of exiting. None if `stop` is set first; errors no retry fixes raise."""
    backoff = 0.5
    while True:
        try:
            return connect()
        except KafkaException as exc:
            if not retriable(exc):
                raise
            log.warning("%s: broker not reachable (%s); retrying in %.1fs", what, kafka_error(exc).str(), backoff)
        if stop.wait(backoff):
            return None
        backoff = min(backoff * 2, 10.0)


class KafkaBus:
    def __init__(self, settings: TriageSettings, *, max_poll_interval_ms: int = 300_000) -> None:
        self._config = connection_config(settings)
        self._partitions = settings.kafka_topic_partitions
        self._session_timeout_ms = settings.kafka_session_timeout_ms
        self._linger_s = settings.kafka_batch_linger_ms / 1000
        self._max_poll_interval_ms = max_poll_interval_ms
        self._admin_client: tuple[AdminClient, LastError] | None = None

    def stage_link(
        self, group: str, topics: Sequence[str], instance: str = "0", linger_ms: int | None = None
    ) -> KafkaStageLink:
        linger_s = self._linger_s if linger_ms is None else linger_ms / 1000
        return KafkaStageLink(
            self._config, group, topics, instance, self._max_poll_interval_ms, self._session_timeout_ms, linger_s
        )

    def publisher(self) -> KafkaPublisher:
        return KafkaPublisher(self._config)

    def _admin(self) -> tuple[AdminClient, LastError]:
        """The bus's admin client, made on first use and kept."""
        if self._admin_client is None:
            config, errors = client_config(self._config, "triage-admin")
            self._admin_client = (AdminClient(config), errors)
        return self._admin_client

    def ensure_topics(self, topics: Sequence[str]) -> None:
        admin, errors = self._admin()
        existing = until_answered(lambda timeout: admin.list_topics(timeout=timeout), admin.poll, errors).topics
        new = [
            NewTopic(t, num_partitions=self._partitions, replication_factor=1)
            for t in sorted(set(topics) - set(existing))
        ]
        if not new:
            return
        for future in admin.create_topics(new, operation_timeout=REQUEST_TIMEOUT_S).values():
            try:
                future.result()
            except KafkaException as exc:
                if kafka_error(exc).code() != KafkaError.TOPIC_ALREADY_EXISTS:  # another process made it first
                    raise

    def close(self) -> None:
        return None
