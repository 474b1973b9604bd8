"""Train and register whatever model has no champion yet: what `triage train` and `triage demo` call."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from models.registry import ModelRegistry
from services.core.settings import TriageSettings
from training import fraud, severity
from training.sources import FRAUD, SEVERITY, DataSetKind, TrainingSet, load_training_set
from training.trained import TrainedModel

CHAMPION, CHALLENGER = "champion", "challenger"


@dataclass(frozen=True)
class Trainer:
    data_set: DataSetKind
    train: Callable[..., TrainedModel]
    folds: int
    headline: tuple[str, ...]  # metrics to print when done


TRAINERS = {
    "fraud": Trainer(FRAUD, fraud.train_fraud, fraud.FOLDS,
                     ("cv_roc_auc", "cv_pr_auc", "cv_brier", "cv_recall_at_10pct_review", "train_seconds")),
    "severity": Trainer(SEVERITY, severity.train_severity, severity.FOLDS,
                        ("cv_d2_gamma", "cv_mae", "cv_q90_coverage", "train_seconds")),
}


def train_missing(settings: TriageSettings, console: Console | None = None, force: bool = False,
                  names: Sequence[str] = tuple(TRAINERS)) -> dict[str, str]:
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
        data = load_training_set(TRAINERS[name].data_set, settings.datasets_dir)
        if data.source == "synthetic":
            _warn_synthetic(console, name, data)
        versions[name] = _train_and_register(name, data, registry, console)
    return versions


def _train_and_register(name: str, data: TrainingSet, registry: ModelRegistry, console: Console) -> str:
    trainer = TRAINERS[name]
    columns = (TextColumn("{task.description:<44}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"{name}: preparing {len(data.frame):,} rows", total=trainer.folds + 2)
        trained = trainer.train(data, on_step=StepBar(progress, task))
        progress.update(task, description=f"{name}: registering in MLflow", advance=1)
        version = registry.log_and_register(
            name, trained.model, trained.params, trained.metrics, trained.artifacts, trained.input_example,
            data.sha256, tags=_tags(data),
        )
        registry.set_alias(name, CHALLENGER, version)
        if not registry.has(name, CHAMPION):
            registry.set_alias(name, CHAMPION, version)
        progress.update(task, description=f"{name}: registered version {version}", advance=1)
    figures = ", ".join(f"{k} {trained.metrics[k]:g}" for k in trainer.headline)
    console.print(f"[bold]{name}[/] v{version} ({data.source} data): {figures}")
    return version


class StepBar:
    """A StepStarted on a progress bar: each step that starts completes the one before it."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress, self.task, self.steps = progress, task, 0

    def __call__(self, description: str) -> None:
        self.progress.update(self.task, description=description, advance=1 if self.steps else 0)
        self.steps += 1


def _warn_synthetic(console: Console, name: str, data: TrainingSet) -> None:
    console.print(Panel(
        f"[bold]The {name} model is being trained on SYNTHETIC data[/]: {data.location}.\n"
        "Its scores show the pipeline working, not real fraud or cost patterns. Put the data sets in "
        "TRIAGE_DATASETS_DIR and run `triage train --force` for a real model. (MLflow tag data_source=synthetic)",
        title="SYNTHETIC TRAINING DATA", border_style="bold red",
    ))


def _tags(data: TrainingSet) -> dict[str, str]:
    tags = {"data_source": data.source, "dataset": data.name, "dataset_location": data.location,
            "dataset_rows": str(len(data.frame))}
    commit = _git_commit()
    return tags | ({"git_commit": commit} if commit else {})


def _git_commit() -> str | None:
    """The code version that trained the model, if this is a git checkout."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent,
                              capture_output=True, text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
