"""train_missing: trains what has no champion, registers it, aliases it, and shouts about synthetic data."""

from __future__ import annotations

from pathlib import Path

from mlflow.tracking import MlflowClient
from rich.console import Console

from claimgen.datasets import fraud_oracle_frame, fremtpl2_sev_frame, peril_descriptions_frame
from models.markets import FREMTPL2
from models.registry import ModelRegistry
from services.core.events import LineOfBusiness, Market
from services.core.settings import TriageSettings
from training.config import TrainConfig
from training.run import load_data, train_missing
from training.sources import FRAUD, PERIL, SEVERITY


def small_datasets(folder: Path) -> Path:
    """Small data set files, so the test trains in seconds."""
    for kind, frame in (
        (FRAUD, fraud_oracle_frame(2_000, seed=1)),
        (SEVERITY, fremtpl2_sev_frame(2_000, seed=1)),
        (PERIL, peril_descriptions_frame(400, seed=1)),
    ):
        (folder / kind.file).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(folder / kind.file, index=False)
    return folder


def test_trains_what_is_missing_once(tmp_path: Path) -> None:
    settings = TriageSettings(data_dir=tmp_path / "data", datasets_dir=small_datasets(tmp_path / "datasets"))
    console = Console(record=True, width=120)

    assert train_missing(settings, console=console) == {"fraud": "1", "severity": "1", "peril": "1"}
    assert train_missing(settings, console=console) == {}  # champions exist: nothing to do
    assert train_missing(settings, console=console, force=True, names=["fraud"]) == {"fraud": "2"}

    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    assert registry.load("fraud", "champion").ref.version == "1"  # a forced retrain does not displace the champion
    assert registry.load("fraud", "challenger").ref.version == "2"
    assert registry.version_of("severity", "champion") == registry.version_of("severity", "challenger") == "1"
    assert registry.load("peril", "champion").classify("hail damage to roof")[0] == "hail"
    run = MlflowClient(settings.resolved_mlflow_uri()).get_model_version("fraud", "1").run_id
    logged = MlflowClient(settings.resolved_mlflow_uri()).get_run(run).data
    assert {"cv_roc_auc", "holdout_roc_auc", "holdout_stp_share_at_3pct_leak"} <= set(logged.metrics)
    assert len(logged.tags["holdout_sha256"]) == 64
    assert {"bias_sex_referral_ratio", "bias_age_band_referral_ratio"} <= set(logged.metrics)
    reference = registry.version_artifact("fraud", "1", "drift_reference.json")
    assert reference is not None and '"claimant_age"' in reference
    facts = registry.version_facts("fraud", "1")
    assert facts is not None and facts.tags["dataset_sha256"] and facts.metrics["holdout_roc_auc"] > 0
    assert registry.version_facts("fraud", "99") is None
    assert facts.tags["promoted_by"] == "triage train" and "no champion" in facts.tags["promotion_reason"]
    assert "promoted_by" not in registry.version_tags("fraud", "2")  # a challenger, not promoted
    severity = registry.version_tags("severity", "1")
    assert (severity["market_line_of_business"], severity["market_country"], severity["currency"]) == (
        "motor",
        "FR",
        "EUR",
    )  # freMTPL2: French motor claims in EUR
    assert registry.load("severity", "champion").market == FREMTPL2


def test_a_file_of_another_market_trains_a_model_of_that_market(tmp_path: Path) -> None:
    fremtpl2_sev_frame(300, seed=1).to_csv(tmp_path / "belgian.csv", index=False)
    belgium = Market(line_of_business=LineOfBusiness.MOTOR, country="BE", currency="EUR")
    config = TrainConfig(model="severity", data=tmp_path / "belgian.csv", market=belgium)
    assert load_data(config, tmp_path).market == belgium
    assert load_data(TrainConfig(model="severity", data=tmp_path / "belgian.csv"), tmp_path).market == FREMTPL2


def test_synthetic_data_is_flagged(tmp_path: Path) -> None:
    settings = TriageSettings(data_dir=tmp_path / "data", datasets_dir=tmp_path / "no-datasets-here")
    console = Console(record=True, width=120)
    assert train_missing(settings, console=console, names=["peril"]) == {"peril": "1"}
    tags = MlflowClient(settings.resolved_mlflow_uri()).get_model_version("peril", "1").tags
    assert tags["data_source"] == "synthetic" and len(tags["dataset_sha256"]) == 64
    output = console.export_text()
    assert "SYNTHETIC TRAINING DATA" in output and "peril v1 (synthetic data): cv_accuracy" in output
