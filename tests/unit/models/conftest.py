"""Fixtures for the model tests: data set rows (real when ../shared/data is there) and a small trained model."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from claimgen.datasets import fraud_oracle_frame, fremtpl2_sev_frame
from models.fraud.model import FraudModel
from models.severity.model import SeverityModel
from services.core.events import FNOL, Address, ClaimCase
from training.fraud import train_fraud
from training.severity import train_severity
from training.sources import TrainingSet

DATASETS = Path(__file__).resolve().parents[3].parent / "shared" / "data"
FRAUD_FILE = DATASETS / "vehicle_claim_fraud_oracle" / "train.csv.gz"
SEVERITY_FILE = DATASETS / "fremtpl2" / "sev_train.csv.gz"


def _rows(path: Path, synthetic: pd.DataFrame, n: int) -> list[dict]:
    frame = pd.read_csv(path, nrows=n) if path.exists() else synthetic.head(n)
    return frame.to_dict("records")


@pytest.fixture(scope="session")
def fraud_rows() -> list[dict]:
    """A few hundred rows of the fraud data set (the generator's when the file is not there)."""
    return _rows(FRAUD_FILE, fraud_oracle_frame(400, seed=3), 400)


@pytest.fixture(scope="session")
def severity_rows() -> list[dict]:
    return _rows(SEVERITY_FILE, fremtpl2_sev_frame(400, seed=3), 400)


@pytest.fixture(scope="session")
def synthetic_fraud() -> TrainingSet:
    return TrainingSet("synthetic fraud", fraud_oracle_frame(12_000, seed=5), "synthetic", "0" * 64, "test")


@pytest.fixture(scope="session")
def small_fraud_model(synthetic_fraud: TrainingSet) -> FraudModel:
    """A fraud model with few trees, trained on the synthetic generator."""
    return train_fraud(synthetic_fraud, rounds=80, folds=3).model


@pytest.fixture(scope="session")
def small_severity_model() -> SeverityModel:
    data = TrainingSet("synthetic severity", fremtpl2_sev_frame(4_000, seed=5), "synthetic", "0" * 64, "test")
    return train_severity(data, rounds=40, folds=3).model


@pytest.fixture
def as_case() -> Callable[[FNOL], ClaimCase]:
    """Wraps an FNOL in the claim case intake would publish."""
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    return lambda fnol: ClaimCase(
        event_id=uuid.uuid4(), claim_id=fnol.claim_id, occurred_at=now, accepted_at=now, fnol=fnol
    )


def in_france(fnol: FNOL) -> FNOL:
    """The claim as one of the severity model's market (freMTPL2's): the insured in France, the policy in EUR."""

    def french(address: Address | None) -> Address | None:
        return address.model_copy(update={"country": "FR"}) if address is not None else None

    return fnol.model_copy(
        update={
            "policy": fnol.policy.model_copy(update={"currency": "EUR"}),
            "claimant": fnol.claimant.model_copy(update={"address": french(fnol.claimant.address)}),
            "loss": fnol.loss.model_copy(update={"place": french(fnol.loss.place)}),
        }
    )
