"""TLS, SASL and mutual TLS against a real broker, through the bus a service builds from its environment: the right
credentials carry a stage's round trip; wrong ones are refused at once with the reason, and no secret is logged."""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable

import pytest
from confluent_kafka import KafkaError, KafkaException

from benchmarks.kafka_tools import KafkaBenchBus
from services.core.bus.kafka import when_reachable
from services.core.bus.port import Message, Outgoing
from services.core.settings import TriageSettings
from tests.integration.secure_broker import SCRAM_USER, SecureBroker

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.timeout(180)]  # a refusal retried forever fails
REFUSED_WITHIN_S = 10.0  # librdkafka reports a refusal within a second; a call left to time out takes 30 s


def settings_from_environment(monkeypatch: pytest.MonkeyPatch, **kafka: str) -> TriageSettings:
    """TriageSettings as a service reads them: from TRIAGE_KAFKA_* variables only (none left from the shell)."""
    for name in [name for name in os.environ if name.startswith("TRIAGE_KAFKA_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TRIAGE_BUS", "kafka")
    for name, value in kafka.items():
        monkeypatch.setenv(f"TRIAGE_KAFKA_{name.upper()}", value)
    return TriageSettings()


def scram(monkeypatch: pytest.MonkeyPatch, broker: SecureBroker, password: str, ca_file: str) -> TriageSettings:
    return settings_from_environment(
        monkeypatch,
        bootstrap=broker.sasl_ssl,
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username=SCRAM_USER,
        sasl_password=password,
        ssl_cafile=ca_file,
    )


def mutual_tls(monkeypatch: pytest.MonkeyPatch, broker: SecureBroker, *, with_certificate: bool) -> TriageSettings:
    certificate = (
        {
            "ssl_certfile": str(broker.client_certificate),
            "ssl_keyfile": str(broker.client_key),
            "ssl_key_password": broker.client_key_password,
        }
        if with_certificate
        else {}
    )
    return settings_from_environment(
        monkeypatch, bootstrap=broker.mutual_tls, security_protocol="SSL", ssl_cafile=str(broker.ca_file), **certificate
    )


def first_records(poll: Callable[[int, float], list[Message]], what: str) -> list[Message]:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        records = poll(10, 0.5)
        if records:
            return records
    raise AssertionError(f"nothing came from {what} in 60 s")


def assert_round_trip(settings: TriageSettings) -> None:
    """What a stage does over the connection: topics made, a claim published and read by a stage link, which commits
    its decision and its offset in one transaction; a tail made before reads the decision."""
    bus = KafkaBenchBus(settings)
    inbound, decided = (f"test.security.{uuid.uuid4().hex[:10]}" for _ in range(2))
    bus.ensure_topics([inbound, decided])
    tail = bus.tail([decided])
    publisher = bus.publisher()
    link = bus.stage_link(f"security-{uuid.uuid4().hex[:8]}", [inbound])
    try:
        publisher.publish([Outgoing(inbound, "CLM-1", b"fnol")])
        read = first_records(link.poll, "the stage link")
        link.commit([Outgoing(decided, "CLM-1", b"decided")], read)
        written = first_records(tail.poll, "the tail")
    finally:
        link.close()
        tail.close()
        publisher.close()
    assert [(m.key, m.value) for m in read] == [(b"CLM-1", b"fnol")]
    assert [(m.key, m.value) for m in written] == [(b"CLM-1", b"decided")]


CONNECTIONS: dict[str, Callable[[KafkaBenchBus], object]] = {
    "topics": lambda bus: bus.ensure_topics(["test.security.refused"]),  # a stage's first call, the admin client's
    "stage link": lambda bus: bus.stage_link("security-refused", ["test.security.refused"]),  # transactional producer
    "tail": lambda bus: bus.tail(["test.security.refused"]),  # a consumer's metadata request
    # the intake API's producer, waiting for the broker's acknowledgement
    "publisher": lambda bus: bus.publisher().publish([Outgoing("test.security.refused", "CLM-1", b"fnol")]),
}


def stage_start(settings: TriageSettings, connection: str) -> Callable[[], object]:
    """A stage starting with `settings`: it retries what a retry can fix (when_reachable) and stops on the rest."""
    bus = KafkaBenchBus(settings)
    return lambda: when_reachable(lambda: CONNECTIONS[connection](bus), threading.Event(), "fraud")


def test_scram_over_tls_carries_a_stage_round_trip(
    secure_broker: SecureBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_round_trip(scram(monkeypatch, secure_broker, secure_broker.scram_password, str(secure_broker.ca_file)))


def test_mutual_tls_carries_a_stage_round_trip(secure_broker: SecureBroker, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_round_trip(mutual_tls(monkeypatch, secure_broker, with_certificate=True))


@pytest.mark.parametrize("connection", CONNECTIONS)
def test_a_wrong_scram_password_is_refused_at_once_and_never_logged(
    secure_broker: SecureBroker, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, connection: str
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = f"not-{secure_broker.scram_password}"
    start = stage_start(scram(monkeypatch, secure_broker, wrong, str(secure_broker.ca_file)), connection)

    started = time.monotonic()
    with pytest.raises(KafkaException, match="SASL authentication error: Authentication failed") as refused:
        start()

    assert time.monotonic() - started < REFUSED_WITHIN_S
    assert refused.value.args[0].code() == KafkaError._AUTHENTICATION
    assert any("SASL authentication error" in record.getMessage() for record in caplog.records)  # librdkafka's own
    assert [record.getMessage() for record in caplog.records if wrong in record.getMessage()] == []
    assert wrong not in f"{refused.value} {refused.value.__cause__}"


@pytest.mark.parametrize("connection", CONNECTIONS)
def test_a_broker_certificate_another_ca_signed_is_refused(
    secure_broker: SecureBroker, monkeypatch: pytest.MonkeyPatch, connection: str
) -> None:
    settings = scram(monkeypatch, secure_broker, secure_broker.scram_password, str(secure_broker.stranger_ca_file))
    start = stage_start(settings, connection)

    started = time.monotonic()
    with pytest.raises(KafkaException, match="SSL handshake failed: .*certificate verify failed") as refused:
        start()

    assert time.monotonic() - started < REFUSED_WITHIN_S
    assert refused.value.args[0].code() == KafkaError._SSL


@pytest.mark.parametrize("connection", CONNECTIONS)
def test_a_client_without_a_certificate_is_refused_by_the_mutual_tls_listener(
    secure_broker: SecureBroker, monkeypatch: pytest.MonkeyPatch, connection: str
) -> None:
    start = stage_start(mutual_tls(monkeypatch, secure_broker, with_certificate=False), connection)

    started = time.monotonic()
    # TLS 1.3: the client learns of the refusal from the broker's alert on its first read, after the handshake
    with pytest.raises(KafkaException, match="SSL routines::ssl/tls alert bad certificate") as refused:
        start()

    assert time.monotonic() - started < REFUSED_WITHIN_S
    assert refused.value.args[0].code() == KafkaError._SSL
