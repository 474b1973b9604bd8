"""Kafka connection settings become librdkafka options that librdkafka itself accepts (no broker needed)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from confluent_kafka import KafkaError, KafkaException, Producer
from pydantic import SecretStr

from services.core.bus.kafka import _LastError, connection_config, when_reachable
from services.core.settings import TriageSettings


def test_sasl_over_tls_settings_become_librdkafka_options(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = TriageSettings(kafka_bootstrap="kafka-1:9093,kafka-2:9093", kafka_security_protocol="SASL_SSL",
                              kafka_sasl_mechanism="SCRAM-SHA-512", kafka_sasl_username="triage",
                              kafka_sasl_password=SecretStr("s3cret"), kafka_ssl_cafile=ca)

    config = connection_config(settings)

    assert config == {"bootstrap.servers": "kafka-1:9093,kafka-2:9093", "security.protocol": "sasl_ssl",
                      "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": "triage", "sasl.password": "s3cret",
                      "ssl.ca.location": str(ca)}


def test_librdkafka_accepts_the_options_it_is_given() -> None:
    settings = TriageSettings(kafka_bootstrap="127.0.0.1:1", kafka_security_protocol="SASL_PLAINTEXT",
                              kafka_sasl_mechanism="PLAIN", kafka_sasl_username="triage",
                              kafka_sasl_password=SecretStr("s3cret"))
    producer = Producer(connection_config(settings))  # an unknown or misspelt option raises here
    producer.flush(0)


def test_a_timeout_caused_by_a_refused_password_is_not_retried() -> None:
    errors = _LastError("fraud-0-out")
    errors(KafkaError(KafkaError._AUTHENTICATION, "SASL authentication error: Authentication failed"))
    timed_out = KafkaException(KafkaError(KafkaError._TIMED_OUT, "init_transactions timed out", retriable=True))

    def connect() -> str:
        raise errors.explain(timed_out)

    with pytest.raises(KafkaException, match="Authentication failed"):
        when_reachable(connect, threading.Event(), "fraud")


def test_a_timeout_with_the_broker_merely_away_is_retried() -> None:
    errors = _LastError("fraud-0-out")
    errors(KafkaError(KafkaError._ALL_BROKERS_DOWN, "1/1 brokers are down"))
    timed_out = KafkaException(KafkaError(KafkaError._TIMED_OUT, "init_transactions timed out", retriable=True))
    assert errors.explain(timed_out) is timed_out
