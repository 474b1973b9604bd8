"""The Kafka publisher: records written outside any consumer group, returned from once every one is durable."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Producer

from services.core.bus.kafka.config import client_config
from services.core.bus.kafka.records import produce
from services.core.bus.port import Outgoing, TransientBusError

log = logging.getLogger(__package__)  # the adapter's one logger, whichever of its modules logs


class KafkaPublisher:
    def __init__(self, config: dict[str, Any], *, delivery_timeout_ms: int = 60_000) -> None:
        producer_config, self._errors = client_config(config, "triage-publisher")
        # acks=all, idempotent (no duplicates from retries), retried until delivered or the timeout has passed
        self._config = {
            **producer_config,
            "acks": "all",
            "enable.idempotence": True,
            "linger.ms": 2,
            "message.timeout.ms": delivery_timeout_ms,
        }
        self._producer = Producer(self._config)

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        failures: list[KafkaError] = []

        def delivered(error: KafkaError | None, _: object) -> None:
            if error is not None:
                failures.append(error)

        for out in outputs:
            produce(self._producer, out, delivered)
        waited_s = 0
        while self._producer.flush(1.0):  # every record ends delivered or failed (message.timeout.ms)
            # flush serves the error callback: a refused password or certificate is known by now, while the records
            # would wait out their timeout and then say only that.
            if (refusal := self._errors.refusal()) is not None:
                raise KafkaException(refusal)
            waited_s += 1
            if waited_s % 10 == 0:
                log.warning("publisher: records still waiting for the broker after %d s", waited_s)
        if failures:
            # An idempotent producer whose records timed out across a broker restart can stay stuck (its producer
            # id never acquired again): the next call starts on a new one. Nothing is left queued on the old one.
            self._producer = Producer(self._config)
            raise TransientBusError(f"publish failed: {failures[0].str()}")
        self._errors.answered()

    def close(self) -> None:
        self._producer.flush(10)
