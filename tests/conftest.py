"""Shared fixtures: the real Kafka broker (scripts/kafka.sh), PostgreSQL (scripts/postgres.sh), Keycloak
(scripts/keycloak.sh), generated claims."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from claimgen.datasets import fraud_oracle_frame
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


def postgres_address() -> str | None:
    """The server the test run started (scripts/postgres.sh writes its URL), or TRIAGE_TEST_POSTGRES."""
    if os.environ.get("TRIAGE_TEST_POSTGRES"):
        return os.environ["TRIAGE_TEST_POSTGRES"]
    state = Path(os.environ.get("POSTGRES_STATE_DIR", "/tmp/claims-triage-postgres")) / "url"
    return state.read_text().strip() if state.exists() else None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    address = postgres_address()
    if address is None:
        message = "no PostgreSQL server: start one with `scripts/postgres.sh start` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing server is a failure, never a skip
        pytest.skip(message)
    return address


@pytest.fixture
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server for one test, dropped after it."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def keycloak_address() -> str | None:
    """The Keycloak server the test run started (scripts/keycloak.sh writes its URL), or TRIAGE_TEST_KEYCLOAK."""
    if os.environ.get("TRIAGE_TEST_KEYCLOAK"):
        return os.environ["TRIAGE_TEST_KEYCLOAK"]
    state = Path(os.environ.get("KEYCLOAK_STATE_DIR", "/tmp/claims-triage-keycloak")) / "url"
    return state.read_text().strip() if state.exists() else None


@pytest.fixture(scope="session")
def keycloak_url() -> str:
    address = keycloak_address()
    if address is None:
        message = "no Keycloak server: start one with `scripts/keycloak.sh start` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing identity provider is a failure, never a skip
        pytest.skip(message)
    return address


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, and (tests marked `postgres`) a database on the real server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'triage.db'}"
    return str(request.getfixturevalue("postgres_database"))


@pytest.fixture(scope="session")
def sample_claims() -> list[GeneratedClaim]:
    return generate_claims(40, seed=11, now=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder without real data sets: 3,000 synthetic fraud claims and a quick training config."""
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_DATASETS_DIR", str(tmp_path / "no-datasets"))
    fraud_oracle_frame(3_000, seed=4).to_csv(tmp_path / "claims.csv", index=False)
    (tmp_path / "fraud.yaml").write_text("model: fraud\ndata: claims.csv\nseed: 3\nfolds: 3\nrounds: 30\n")
    return tmp_path
