"""A service started while the broker is away waits for it instead of exiting."""

from __future__ import annotations

import threading

import pytest
from confluent_kafka import KafkaError, KafkaException

from services.core.bus import when_reachable as when_bus_reachable
from services.core.bus.kafka import when_reachable
from services.core.settings import TriageSettings


def test_connecting_is_retried_until_the_broker_answers() -> None:
    failures = [
        KafkaException(KafkaError(KafkaError._TIMED_OUT, "init_transactions timed out", retriable=True)),
        KafkaException(KafkaError(KafkaError._TRANSPORT, "Failed to get metadata: transport failure")),
    ]
    calls: list[int] = []

    def connect() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "link"

    assert when_reachable(connect, threading.Event(), "fraud") == "link"
    assert len(calls) == 3


def test_a_stop_while_waiting_gives_up_without_a_link() -> None:
    stop = threading.Event()

    def connect() -> str:
        stop.set()  # SIGTERM arrives while the broker is still away
        raise KafkaException(KafkaError(KafkaError._ALL_BROKERS_DOWN, "1/1 brokers are down"))

    assert when_reachable(connect, stop, "fraud") is None


def test_an_error_no_retry_can_fix_is_raised_at_once() -> None:
    def connect() -> str:
        raise KafkaException(KafkaError(KafkaError.SASL_AUTHENTICATION_FAILED, "bad SASL password"))

    with pytest.raises(KafkaException, match="bad SASL password"):
        when_reachable(connect, threading.Event(), "fraud")


def test_the_bus_package_waits_for_the_kafka_broker_the_settings_name() -> None:
    failures = [KafkaException(KafkaError(KafkaError._TRANSPORT, "Failed to get metadata: transport failure"))]

    def connect() -> str:
        if failures:
            raise failures.pop(0)
        return "link"

    assert when_bus_reachable(TriageSettings(bus="kafka"), connect, threading.Event(), "fraud") == "link"
    assert failures == []


def test_the_in_process_bus_has_no_broker_to_wait_for() -> None:
    assert when_bus_reachable(TriageSettings(bus="memory"), lambda: "link", threading.Event(), "demo") == "link"
