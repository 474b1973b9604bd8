"""Records between the port and Kafka: the port's Outgoing produced, fetched records read as the port's Message."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from confluent_kafka import KafkaException, Producer

from services.core.bus.port import Message, Outgoing

log = logging.getLogger(__package__)  # the adapter's one logger, whichever of its modules logs


def produce(producer: Producer, out: Outgoing, on_delivery: Callable[..., None] | None = None) -> None:
    """Hand `out` to the producer, waiting for room in its local queue."""
    while True:
        try:
            producer.produce(out.topic, out.value, out.key.encode(), headers=list(out.headers), on_delivery=on_delivery)
            return
        except BufferError:  # the local queue is full: let deliveries drain it
            producer.poll(0.05)


def polled_messages(polled: Sequence[Any]) -> list[Message]:
    """The records among what a consumer polled; consumer errors are reports: librdkafka recovers by itself
    unless one is fatal."""
    messages: list[Message] = []
    for record in polled:
        report = record.error()
        if report is None:
            messages.append(_message(record))
        elif report.fatal():
            raise KafkaException(report)
        else:
            log.warning("kafka consumer: %s", report.str())
    return messages


def _message(record: Any) -> Message:
    """A fetched record (not an error event) as the port's Message; a null value or header reads as empty."""
    headers = tuple((k, v or b"") for k, v in record.headers() or ())
    return Message(record.topic(), record.partition(), record.offset(), record.key(), record.value() or b"", headers)
