"""A service started while the broker is away waits for it instead of exiting."""

from __future__ import annotations

import threading

import pytest
from kafka.errors import KafkaConnectionError, KafkaTimeoutError, SaslAuthenticationFailedError

from services.core.bus.kafka import when_reachable


def test_connecting_is_retried_until_the_broker_answers() -> None:
    failures = [KafkaTimeoutError("Unable to bootstrap"), KafkaConnectionError("111 ECONNREFUSED")]
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
        raise KafkaTimeoutError("Unable to bootstrap")

    assert when_reachable(connect, stop, "fraud") is None


def test_an_error_no_retry_can_fix_is_raised_at_once() -> None:
    def connect() -> str:
        raise SaslAuthenticationFailedError("bad SASL password")

    with pytest.raises(SaslAuthenticationFailedError):
        when_reachable(connect, threading.Event(), "fraud")
