"""Integration fixtures: a second broker with TLS, SASL and mutual TLS listeners (see secure_broker.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.core.settings import TriageSettings
from tests.integration.secure_broker import SecureBroker, running_secure_broker, runtime_missing


@pytest.fixture(scope="session")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    """A broker of its own for the run (the shared one stays PLAINTEXT), stopped at the end whatever happened."""
    missing = runtime_missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(missing)  # in CI a broker that cannot start is a failure, never a skip
        pytest.skip(missing)
    with running_secure_broker(tmp_path_factory.mktemp("secure-kafka")) as broker:
        yield broker


@pytest.fixture(scope="session")
def trained_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow store with fraud, severity and peril champions, trained once for the run."""
    from training.run import train_missing

    data_dir = tmp_path_factory.mktemp("models")
    train_missing(TriageSettings(data_dir=data_dir))
    return data_dir
