"""Integration fixtures: a second broker with TLS, SASL and mutual TLS listeners (see secure_broker.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

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
