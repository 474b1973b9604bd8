"""Shared fixtures: the real Kafka broker (scripts/kafka.sh), claims from the project's generator."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimgen.fnol import GeneratedClaim, generate_claims

ROOT = Path(__file__).resolve().parents[1]


def kafka_bootstrap_address() -> str | None:
    """The broker the test run started (scripts/kafka.sh writes its address), or TRIAGE_TEST_KAFKA."""
    if os.environ.get("TRIAGE_TEST_KAFKA"):
        return os.environ["TRIAGE_TEST_KAFKA"]
    state = Path(os.environ.get("KAFKA_STATE_DIR", "/tmp/claims-triage-kafka")) / "bootstrap"
    return state.read_text().strip() if state.exists() else None


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    address = kafka_bootstrap_address()
    if address is None:
        message = "no Kafka broker: start one with `scripts/kafka.sh start` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing broker is a failure, never a skip
        pytest.skip(message)
    return address


@pytest.fixture(scope="session")
def sample_claims() -> list[GeneratedClaim]:
    return generate_claims(40, seed=11, now=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
