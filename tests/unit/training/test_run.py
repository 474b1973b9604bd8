"""train_missing: trains what has no champion, registers it, aliases it, and shouts about synthetic data."""

from __future__ import annotations

from pathlib import Path

from mlflow.tracking import MlflowClient
from rich.console import Console

from models.registry import ModelRegistry
from services.core.settings import TriageSettings
from training.run import train_missing


def test_trains_what_is_missing_once_and_flags_synthetic_data(tmp_path: Path) -> None:
    settings = TriageSettings(data_dir=tmp_path / "data", datasets_dir=tmp_path / "no-datasets-here")
    console = Console(record=True, width=120)

    assert train_missing(settings, console=console) == {"fraud": "1", "severity": "1", "peril": "1"}
    assert train_missing(settings, console=console) == {}  # champions exist: nothing to do
    assert train_missing(settings, console=console, force=True, names=["fraud"]) == {"fraud": "2"}

    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    assert registry.load("fraud", "champion").ref.version == "1"  # a forced retrain does not displace the champion
    assert registry.load("fraud", "challenger").ref.version == "2"
    assert registry.version_of("severity", "champion") == registry.version_of("severity", "challenger") == "1"
    tags = MlflowClient(settings.resolved_mlflow_uri()).get_model_version("fraud", "1").tags
    assert tags["data_source"] == "synthetic" and len(tags["dataset_sha256"]) == 64
    output = console.export_text()
    assert "SYNTHETIC TRAINING DATA" in output and "fraud v1 (synthetic data): cv_roc_auc" in output
