"""Kafka client configuration: the connection options from the settings, and the options every client shares."""

from __future__ import annotations

import logging
from typing import Any

from services.core.bus.kafka.errors import LastError
from services.core.settings import TriageSettings

log = logging.getLogger(__package__)  # librdkafka's own log lines go to the adapter's logger


def connection_config(settings: TriageSettings) -> dict[str, Any]:
    """Bootstrap and security options shared by every client (TLS and SASL from the environment)."""
    config: dict[str, Any] = {
        "bootstrap.servers": settings.kafka_bootstrap,
        "security.protocol": settings.kafka_security_protocol.lower(),
    }
    if settings.kafka_sasl_mechanism:
        config["sasl.mechanism"] = settings.kafka_sasl_mechanism
        if settings.kafka_sasl_username is not None:
            config["sasl.username"] = settings.kafka_sasl_username
        if settings.kafka_sasl_password is not None:
            config["sasl.password"] = settings.kafka_sasl_password.get_secret_value()
    if settings.kafka_ssl_cafile:
        config["ssl.ca.location"] = str(settings.kafka_ssl_cafile)
    if settings.kafka_ssl_certfile:  # mutual TLS: the client shows a certificate of its own
        config["ssl.certificate.location"] = str(settings.kafka_ssl_certfile)
    if settings.kafka_ssl_keyfile:
        config["ssl.key.location"] = str(settings.kafka_ssl_keyfile)
    if settings.kafka_ssl_key_password is not None:
        config["ssl.key.password"] = settings.kafka_ssl_key_password.get_secret_value()
    return config


def client_config(config: dict[str, Any], client: str) -> tuple[dict[str, Any], LastError]:
    """`config` for the client named `client`, and the callback that keeps the last error it reports."""
    errors = LastError(client)
    return {
        **config,
        "client.id": client,
        "error_cb": errors,
        "logger": log,  # librdkafka's own log lines through ours (JSON); served by poll/consume/flush
        # Re-bootstrap (librdkafka's default since 2.10) leaves a restarted broker's transaction coordinator handle
        # terminating for good, and send_offsets_to_transaction waiting; the broker comes back at the same address.
        "metadata.recovery.strategy": "none",
        "reconnect.backoff.max.ms": 1000,  # back within a second of the broker, not up to ten
    }, errors
