"""Train and register models: whatever has no champion yet (`triage demo`), or one run from a config (`triage train`).

Each run holds back a seeded share of the data set (training/evaluation.py), trains with
cross-validation on the rest, and logs the held-back figures and plots beside the CV ones.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from models.markets import market_tags
from models.registry import ModelRegistry
from services.core.events import Market
from services.core.settings import TriageSettings
from training import fraud, peril, severity
from training.config import TrainConfig
from training.evaluation import evaluate, hold_out, predict
from training.feedback import FeedbackRows
from training.feedback import load_feedback as feedback_rows_from
from training.governance import governance_facts
from training.plots import close, fraud_plots, importance_plot, severity_plots
from training.sources import FRAUD, PERIL, SEVERITY, DataSetKind, TrainingSet, load_file, load_training_set
from training.trained import TrainedModel

CHAMPION, CHALLENGER = "champion", "challenger"


@dataclass(frozen=True)
class Trainer:
    data_set: DataSetKind
    train: Callable[..., TrainedModel]
    folds: int
    headline: tuple[str, ...]  # metrics to print when done


TRAINERS = {
    "fraud": Trainer(
        FRAUD,
        fraud.train_fraud,
        fraud.FOLDS,
        ("cv_roc_auc", "cv_pr_auc", "cv_brier", "cv_recall_at_10pct_review", "train_seconds"),
    ),
    "severity": Trainer(
        SEVERITY, severity.train_severity, severity.FOLDS, ("cv_d2_gamma", "cv_mae", "cv_q90_coverage", "train_seconds")
    ),
    "peril": Trainer(PERIL, peril.train_peril, peril.FOLDS, ("cv_accuracy", "cv_macro_f1", "train_seconds")),
}


def train_missing(
    settings: TriageSettings,
    console: Console | None = None,
    force: bool = False,
    names: Sequence[str] = tuple(TRAINERS),
) -> dict[str, str]:
    """Train, register and alias each of `names` that has no champion (all of them with `force`).

    Every new version becomes `challenger`, and `champion` too when there is none yet.
    Returns {name: registered version} for the models trained now.
    """
    console = console or Console()
    unknown = set(names) - set(TRAINERS)
    if unknown:
        raise ValueError(f"no trainer for {', '.join(sorted(unknown))}; choose from {', '.join(TRAINERS)}")
    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    missing = [name for name in names if force or not registry.has(name, CHAMPION)]
    versions = {}
    for name in missing:
        config = TrainConfig(model=name)
        versions[name] = train_and_register(config, load_data(config, settings.datasets_dir), registry, console)
    return versions


def load_data(config: TrainConfig, datasets_dir: Path) -> TrainingSet:
    """The checked training data of a run: the config's file, else the data set in `datasets_dir` (or synthetic)."""
    kind = TRAINERS[config.model].data_set
    return load_file(kind, config.data, config.market) if config.data else load_training_set(kind, datasets_dir)


def train_and_register(
    config: TrainConfig,
    data: TrainingSet,
    registry: ModelRegistry,
    console: Console | None = None,
    feedback: FeedbackRows | None = None,
) -> str:
    """One training run as `config` says: train, log, register as `challenger` (and `champion` if none); the version.

    `feedback` (adjusters' decisions as training rows, see `load_feedback`) is added to the training data.
    """
    console = console or Console()
    name, trainer = config.model, TRAINERS[config.model]
    if data.source == "synthetic":
        _warn_synthetic(console, name, data)
    develop, held = hold_out(name, data, config.holdout_share, config.holdout_seed)
    columns = (TextColumn("{task.description:<44}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"{name}: preparing {len(develop.frame):,} rows", total=config.folds + 2)
        options = _train_options(config) | ({"feedback": feedback} if feedback is not None else {})
        trained = trainer.train(develop, **options, on_step=StepBar(progress, task))
        progress.update(task, description=f"{name}: held-back evaluation, MLflow", advance=1)
        figures = _held_back(name, trained, held)
        version = registry.log_and_register(
            name,
            trained.model,
            trained.params | config.model_dump(mode="json", exclude_none=True),
            trained.metrics,
            trained.artifacts,
            trained.input_example,
            data.sha256,
            tags=_tags(data, held),
            figures=figures,
        )
        close(figures)
        registry.set_alias(name, CHALLENGER, version)
        if not registry.has(name, CHAMPION):
            registry.set_alias(name, CHAMPION, version)
            registry.tag_version(
                name,
                version,
                {  # who and why, for the model inventory
                    "promoted_by": "triage train",
                    "promoted_at": datetime.now(UTC).isoformat(),
                    "promotion_reason": "first version registered: there was no champion",
                },
            )
        progress.update(task, description=f"{name}: registered version {version}", advance=1)
    shown = ", ".join(f"{k} {trained.metrics[k]:g}" for k in trainer.headline if k in trained.metrics)
    added = f" + {len(feedback.rows)} adjuster decisions (weight {feedback.weight:g})" if feedback else ""
    console.print(f"[bold]{name}[/] v{version} ({data.source} data{added}): {shown}")
    return version


def load_feedback(config: TrainConfig, database_url: str, market: Market | None = None) -> FeedbackRows | None:
    """The adjusters' decisions stored at `database_url` as training rows, if `config` asks for them; for severity,
    only those of the training data's `market`."""
    if not config.with_feedback:
        return None
    return feedback_rows_from(config.model, database_url, config.feedback_weight, market)


def _train_options(config: TrainConfig) -> dict[str, int]:
    options = {"seed": config.seed, "folds": config.folds}
    return options | ({"rounds": config.rounds} if config.rounds and config.model != "peril" else {})


def _held_back(name: str, trained: TrainedModel, held: TrainingSet) -> dict[str, Any]:
    """Adds the held-back figures to the trained model's metrics; the plots to log."""
    if held.frame.empty:
        return {}
    trained.metrics |= {f"holdout_{k}": v for k, v in evaluate(name, trained.model, held).items()}
    artifacts, bias = governance_facts(name, trained.model, held)  # drift reference and bias tests
    trained.artifacts |= artifacts
    trained.metrics |= bias
    if name == "peril":
        return {}
    predicted = predict(name, trained.model, held)
    booster = trained.model.booster if name == "fraud" else trained.model.expected
    importance = importance_plot(dict(zip(booster.feature_name(), booster.feature_importance("gain"), strict=True)))
    if name == "fraud":
        return fraud_plots(predicted["label"], {"fraud model": predicted["probability"]}) | importance
    return severity_plots(predicted["amount"], predicted["expected"]) | importance


class StepBar:
    """A StepStarted on a progress bar: each step that starts completes the one before it."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress, self.task, self.steps = progress, task, 0

    def __call__(self, description: str) -> None:
        self.progress.update(self.task, description=description, advance=1 if self.steps else 0)
        self.steps += 1


def _warn_synthetic(console: Console, name: str, data: TrainingSet) -> None:
    console.print(
        Panel(
            f"[bold]The {name} model is being trained on SYNTHETIC data[/]: {data.location}.\n"
            "Its scores show the pipeline working, not real fraud or cost patterns. Put the data sets in "
            "TRIAGE_DATASETS_DIR and run `triage train --force` for a real model. (MLflow tag data_source=synthetic)",
            title="SYNTHETIC TRAINING DATA",
            border_style="bold red",
        )
    )


def holdout_digest(held: TrainingSet) -> str:
    """A fingerprint of the held-back rows: two models were judged on the same rows if their digests agree."""
    return hashlib.sha256(held.frame.to_csv(index=False).encode()).hexdigest()


def _tags(data: TrainingSet, held: TrainingSet) -> dict[str, str]:
    tags = {
        "data_source": data.source,
        "dataset": data.name,
        "dataset_location": data.location,
        "dataset_rows": str(len(data.frame)),
        "holdout_rows": str(len(held.frame)),
        "holdout_sha256": holdout_digest(held),
    } | (market_tags(data.market) if data.market else {})
    commit = _git_commit()
    return tags | ({"git_commit": commit} if commit else {})


def _git_commit() -> str | None:
    """The code version that trained the model, if this is a git checkout."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
