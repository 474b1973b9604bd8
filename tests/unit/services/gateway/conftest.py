"""A real MLflow registry (fraud v1 and v2, severity v1) and a real gateway process serving it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claimgen.fnol import generate_claims
from models.fraud.features import fraud_features
from models.fraud.model import FraudModel
from models.registry import ModelRegistry
from models.severity.features import severity_features
from models.severity.model import SeverityModel
from services.core.events import FNOL, ClaimCase
from services.gateway.process import GatewayProcess
from tests.unit.models.conftest import as_case, in_france, small_fraud_model, small_severity_model, synthetic_fraud

__all__ = ["as_case", "small_fraud_model", "small_severity_model", "synthetic_fraud"]


@pytest.fixture(scope="module")
def registry_dir(
    tmp_path_factory: pytest.TempPathFactory, small_fraud_model: FraudModel, small_severity_model: SeverityModel
) -> Path:
    """fraud v1 (champion) and v2 (challenger: the same trees, so scores agree), severity v1 (champion)."""
    root = tmp_path_factory.mktemp("gateway")
    registry = ModelRegistry(f"sqlite:///{root / 'mlflow' / 'mlflow.db'}", root / "mlflow" / "artifacts")
    fnols = [c.fnol for c in generate_claims(5, seed=2)]
    for name, model, features in (
        ("fraud", small_fraud_model, fraud_features),
        ("fraud", small_fraud_model, fraud_features),
        ("severity", small_severity_model, severity_features),
    ):
        example = model.spec.raw_frame([features(f) for f in fnols])
        registry.log_and_register(
            name, model, params={}, metrics={}, artifacts={}, input_example=example, dataset_hash="0" * 64
        )
    registry.set_alias("fraud", "champion", "1")
    registry.set_alias("fraud", "challenger", "2")
    registry.set_alias("severity", "champion", "1")
    return root


@pytest.fixture(scope="module")
def registry(registry_dir: Path) -> ModelRegistry:
    return ModelRegistry(f"sqlite:///{registry_dir / 'mlflow' / 'mlflow.db'}", registry_dir / "mlflow" / "artifacts")


@pytest.fixture(scope="module")
def gateway_env(registry_dir: Path) -> dict[str, str]:
    return {
        "TRIAGE_DATA_DIR": str(registry_dir),
        "TRIAGE_MODEL_RELOAD_S": "0.5",
        "TRIAGE_MODEL_CHALLENGER_SHARE": "0.3",
        "TRIAGE_MODEL_SHADOW": "true",
        "TRIAGE_GATEWAY_WORKERS": "1",
    }


@pytest.fixture(scope="module")
def gateway(gateway_env: dict[str, str], registry_dir: Path) -> Iterator[GatewayProcess]:
    process = GatewayProcess(gateway_env, registry_dir / "gateway.log").start()
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


@pytest.fixture
def cases(as_case: Callable[[FNOL], ClaimCase]) -> list[ClaimCase]:
    """Claims of the US (in USD) and, every other one, of France (in EUR: the severity model's market)."""
    return [as_case(in_france(c.fnol) if i % 2 else c.fnol) for i, c in enumerate(generate_claims(60, seed=11))]
