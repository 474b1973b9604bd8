"""Kafka connection settings become librdkafka options librdkafka accepts, and errors no retry fixes stop a stage
(no broker needed)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from confluent_kafka import KafkaError, KafkaException, Producer
from pydantic import SecretStr

from services.core.bus.kafka import KafkaStageLink, when_reachable
from services.core.bus.kafka.config import connection_config
from services.core.bus.kafka.errors import LastError, until_answered
from services.core.bus.port import TransientBusError
from services.core.settings import TriageSettings


def test_sasl_over_tls_settings_become_librdkafka_options(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = TriageSettings(
        kafka_bootstrap="kafka-1:9093,kafka-2:9093",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="triage",
        kafka_sasl_password=SecretStr("s3cret"),
        kafka_ssl_cafile=ca,
    )

    config = connection_config(settings)

    assert config == {
        "bootstrap.servers": "kafka-1:9093,kafka-2:9093",
        "security.protocol": "sasl_ssl",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "triage",
        "sasl.password": "s3cret",
        "ssl.ca.location": str(ca),
    }


def test_client_certificate_settings_from_the_environment_become_librdkafka_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "SECURITY_PROTOCOL": "SSL",
        "SSL_CAFILE": str(tmp_path / "ca.pem"),
        "SSL_CERTFILE": str(tmp_path / "fraud.pem"),
        "SSL_KEYFILE": str(tmp_path / "fraud.key"),
        "SSL_KEY_PASSWORD": "k3y-s3cret",
    }.items():
        monkeypatch.setenv(f"TRIAGE_KAFKA_{name}", value)
    settings = TriageSettings(kafka_bootstrap="kafka-1:9094")

    config = connection_config(settings)

    assert config == {
        "bootstrap.servers": "kafka-1:9094",
        "security.protocol": "ssl",
        "ssl.ca.location": str(tmp_path / "ca.pem"),
        "ssl.certificate.location": str(tmp_path / "fraud.pem"),
        "ssl.key.location": str(tmp_path / "fraud.key"),
        "ssl.key.password": "k3y-s3cret",
    }
    assert "k3y-s3cret" not in repr(settings)  # a secret, like the SASL password: never printed with the settings


def test_librdkafka_accepts_the_options_it_is_given() -> None:
    settings = TriageSettings(
        kafka_bootstrap="127.0.0.1:1",
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_mechanism="PLAIN",
        kafka_sasl_username="triage",
        kafka_sasl_password=SecretStr("s3cret"),
    )
    producer = Producer(connection_config(settings))  # an unknown or misspelt option raises here
    producer.flush(0)


def test_a_timeout_caused_by_a_refused_password_is_not_retried() -> None:
    errors = LastError("fraud-0-out")
    errors(KafkaError(KafkaError._AUTHENTICATION, "SASL authentication error: Authentication failed"))
    timed_out = KafkaException(KafkaError(KafkaError._TIMED_OUT, "init_transactions timed out", retriable=True))

    def connect() -> str:
        raise errors.explain(timed_out)

    with pytest.raises(KafkaException, match="Authentication failed"):
        when_reachable(connect, threading.Event(), "fraud")


def test_a_timeout_with_the_broker_merely_away_is_retried() -> None:
    errors = LastError("fraud-0-out")
    errors(KafkaError(KafkaError._ALL_BROKERS_DOWN, "1/1 brokers are down"))
    timed_out = KafkaException(KafkaError(KafkaError._TIMED_OUT, "init_transactions timed out", retriable=True))
    assert errors.explain(timed_out) is timed_out


def test_all_brokers_down_after_a_refused_password_does_not_hide_it() -> None:
    errors = LastError("triage-admin")
    errors(KafkaError(KafkaError._AUTHENTICATION, "SASL authentication error: Authentication failed"))
    errors(KafkaError(KafkaError._ALL_BROKERS_DOWN, "1/1 brokers are down"))  # librdkafka's summary that follows
    timed_out = KafkaException(KafkaError(KafkaError._TRANSPORT, "Failed to get metadata"))
    with pytest.raises(KafkaException, match="Authentication failed"):
        raise errors.explain(timed_out)


def test_a_tls_alert_from_the_broker_is_a_refusal_not_the_broker_away() -> None:
    # TLS 1.3: a client certificate refused (or missing) shows only on the first read, as a transport failure
    errors = LastError("triage-admin")
    errors(
        KafkaError(
            KafkaError._TRANSPORT,
            "ssl://kafka-1:9094/bootstrap: Receive failed: error:0A000412:SSL "
            "routines::ssl/tls alert bad certificate: SSL alert number 42",
        )
    )
    explained = errors.explain(KafkaException(KafkaError(KafkaError._TRANSPORT, "Failed to get metadata")))
    assert explained.args[0].code() == KafkaError._SSL


def test_a_connection_merely_dropped_is_not_a_refusal() -> None:
    errors = LastError("triage-admin")
    errors(KafkaError(KafkaError._TRANSPORT, "ssl://kafka-1:9094/bootstrap: Disconnected (after 5012ms in state UP)"))
    timed_out = KafkaException(KafkaError(KafkaError._TRANSPORT, "Failed to get metadata"))
    assert errors.explain(timed_out) is timed_out


def test_a_call_waiting_for_the_broker_ends_once_a_refusal_is_reported() -> None:
    errors, timeouts = LastError("triage-admin"), []

    def list_topics(timeout: float) -> None:
        timeouts.append(timeout)
        raise KafkaException(KafkaError(KafkaError._TRANSPORT, "Failed to get metadata"))

    def poll(_timeout: float) -> None:  # librdkafka reported the refusal in the background meanwhile
        errors(KafkaError(KafkaError._AUTHENTICATION, "SASL authentication error: Authentication failed"))

    with pytest.raises(KafkaException, match="Authentication failed"):
        until_answered(list_topics, poll, errors)
    assert timeouts == [1.0]  # not the whole 30 s


def test_a_refusal_the_broker_has_answered_since_no_longer_explains_a_timeout() -> None:
    errors = LastError("triage-admin")
    errors(KafkaError(KafkaError._AUTHENTICATION, "SASL authentication error: Authentication failed"))
    assert until_answered(lambda _timeout: "topics", lambda _timeout: None, errors) == "topics"  # credentials fixed
    timed_out = KafkaException(KafkaError(KafkaError._TIMED_OUT, "Failed to get metadata", retriable=True))
    assert errors.explain(timed_out) is timed_out  # the broker merely away now: retried, not a stop


def test_a_call_waiting_for_a_slow_broker_is_asked_again_with_more_time() -> None:
    timeouts: list[float] = []

    def init_transactions(timeout: float) -> str:
        timeouts.append(timeout)
        if len(timeouts) < 3:
            raise KafkaException(KafkaError(KafkaError._TIMED_OUT, "retry call to resume", retriable=True))
        return "ready"

    assert until_answered(init_transactions, lambda _timeout: None, LastError("fraud-0-out")) == "ready"
    assert timeouts == [1.0, 2.0, 4.0]


class RefusingProducer:
    """A transactional producer whose every transaction fails with `error`."""

    def __init__(self, error: KafkaError) -> None:
        self.error, self.aborted = error, 0

    def begin_transaction(self) -> None:
        raise KafkaException(self.error)

    def abort_transaction(self, _timeout: float) -> None:
        self.aborted += 1


class FakeConsumer:
    def committed(self, partitions: list[object], timeout: float) -> list[object]:
        return []

    def assignment(self) -> list[object]:
        return []


def link_with(producer: RefusingProducer, background: KafkaError | None = None) -> KafkaStageLink:
    """A stage link around fakes: commit's error handling without a broker."""
    link = object.__new__(KafkaStageLink)
    link._producer, link._consumer, link._rewind_pending = producer, FakeConsumer(), False  # type: ignore[assignment]
    link._producer_errors, link._timeouts = LastError("fraud-0-out"), 0
    if background is not None:
        link._producer_errors(background)
    return link


def test_a_transaction_refused_for_want_of_rights_stops_the_stage_instead_of_retrying() -> None:
    producer = RefusingProducer(KafkaError(KafkaError.TOPIC_AUTHORIZATION_FAILED, "Topic authorization failed"))
    with pytest.raises(KafkaException, match="Topic authorization failed"):
        link_with(producer).commit([], [])


def test_a_transaction_timing_out_behind_a_refused_password_stops_the_stage() -> None:
    producer = RefusingProducer(KafkaError(KafkaError._TIMED_OUT, "commit timed out", retriable=True))
    refused = KafkaError(KafkaError.SASL_AUTHENTICATION_FAILED, "SASL authentication error: Authentication failed")
    with pytest.raises(KafkaException, match="Authentication failed"):
        link_with(producer, background=refused).commit([], [])


def test_a_transaction_the_broker_merely_timed_out_is_aborted_and_retried() -> None:
    producer = RefusingProducer(KafkaError(KafkaError._TIMED_OUT, "commit timed out", retriable=True))
    link = link_with(producer)
    with pytest.raises(TransientBusError, match="commit timed out"):
        link.commit([], [])
    assert producer.aborted == 1  # and the link went back to the committed offsets: the batch comes again
    assert link._producer is producer  # one timeout happens while a broker restarts: the producer is kept


def test_a_producer_whose_transactions_time_out_again_and_again_is_replaced() -> None:
    producer = RefusingProducer(KafkaError(KafkaError._TIMED_OUT, "commit timed out", retriable=True))
    link, fresh = link_with(producer), RefusingProducer(KafkaError(KafkaError._TIMED_OUT, "x"))
    link._start_producer = lambda: fresh  # type: ignore[method-assign]
    for _ in range(2):
        with pytest.raises(TransientBusError, match="commit timed out"):
            link.commit([], [])
    assert producer.aborted == 2
    assert link._producer is fresh  # stuck after a broker restart: a new producer under the same id reconnects


class StuckProducer(RefusingProducer):
    """A producer whose abort fails too, as after a broker restart (or because a newer instance fenced it)."""

    def __init__(self, error: KafkaError, abort_error: KafkaError) -> None:
        super().__init__(error)
        self.abort_error = abort_error

    def abort_transaction(self, _timeout: float) -> None:
        raise KafkaException(self.abort_error)


def test_a_producer_left_in_an_invalid_state_is_replaced_and_the_batch_retried() -> None:
    invalid = KafkaError(KafkaError.INVALID_TXN_STATE, "Failed to end transaction", fatal=True)
    producer = StuckProducer(KafkaError(KafkaError._TIMED_OUT, "commit timed out", retriable=True), invalid)
    link, fresh = link_with(producer), RefusingProducer(KafkaError(KafkaError._TIMED_OUT, "x"))
    link._start_producer = lambda: fresh  # type: ignore[method-assign]
    with pytest.raises(TransientBusError, match="commit timed out"):
        link.commit([], [])
    assert link._producer is fresh  # a new producer under the same id settles the old transaction


def test_a_fenced_producer_stops_the_stage() -> None:
    fenced = KafkaError(KafkaError._FENCED, "Producer fenced by newer instance", fatal=True)
    producer = StuckProducer(KafkaError(KafkaError._TIMED_OUT, "commit timed out", retriable=True), fenced)
    with pytest.raises(KafkaException, match="fenced"):
        link_with(producer).commit([], [])


def test_a_publish_that_timed_out_leaves_the_next_one_a_new_producer() -> None:
    from services.core.bus.kafka.publisher import KafkaPublisher
    from services.core.bus.port import Outgoing

    # nothing listens on port 9 of this host: every record times out
    publisher = KafkaPublisher(
        connection_config(TriageSettings(kafka_bootstrap="127.0.0.1:9")), delivery_timeout_ms=300
    )
    stuck = publisher._producer
    with pytest.raises(TransientBusError, match="publish failed"):
        publisher.publish([Outgoing("claims.fnol.inbound.v1", "C-1", b"{}")])
    assert publisher._producer is not stuck
