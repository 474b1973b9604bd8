"""Honest figures of the fraud, severity and peril models, beside their baselines and the published figures.

    python benchmarks/model_figures.py [--datasets ../shared/data] [--no-mlflow]

Each data set's training file is split once (seeded, like the sealed hold-outs: stratified, or
whole policies for severity); every model and baseline trains on the development part only —
its choices made by 5-fold CV there — and is measured on the held-back part it never saw.
Also measures training time and scoring latency (one claim, a batch of 1,000), logs everything
with plots to MLflow (run `benchmark-models`) and ends with one line:
`models: fraud_auc=… … peril_accuracy=…`.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from models.fraud.features import fraud_features
from models.mapping import PERIL_TEXT, frame_rows, fraud_row_to_fnol, severity_row_to_fnol
from models.severity.features import severity_features
from services.core.events import FNOL, ClaimCase
from services.core.settings import TriageSettings
from training import baselines, plots
from training.evaluation import evaluate, hold_out, predict
from training.fraud import train_fraud
from training.metrics import benchmark_line, fraud_metrics, line_values, severity_metrics
from training.peril import train_peril
from training.severity import train_severity
from training.sources import FRAUD, PERIL, SEVERITY, TrainingSet, load_training_set
from training.trained import feature_rows

PUBLISHED = {
    "fraud roc_auc": "0.81 (best of Nordin et al. 2024); aim 0.89",
    "fraud pr_auc": "base rate 0.06; aim 0.35",
    "fraud brier": "aim 0.045",
    "fraud recall_at_10pct_review": "aim 0.55",
    "fraud stp_share_at_3pct_leak": "aim 0.60",
    "severity d2_gamma": "Gamma GLM 'slightly' > 0 (scikit-learn example)",
    "severity q90_coverage": "aim 0.88-0.92",
    "peril accuracy": "0.847 fine-tuned transformer, 0.839 LR on embeddings (published test split); aim 0.85",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=None, help="default: TRIAGE_DATASETS_DIR")
    parser.add_argument("--no-mlflow", action="store_true", help="do not log the run to MLflow")
    args = parser.parse_args()
    settings = TriageSettings()
    datasets = args.datasets or settings.datasets_dir
    console = Console()
    results: dict[str, dict[str, float]] = {}
    figures: dict[str, Any] = {}
    for name, bench in (("fraud", bench_fraud), ("severity", bench_severity), ("peril", bench_peril)):
        kind = {"fraud": FRAUD, "severity": SEVERITY, "peril": PERIL}[name]
        data = load_training_set(kind, datasets)
        if data.source == "synthetic":
            console.print(f"[bold red]{name}: no data set in {datasets}, measuring on SYNTHETIC data[/]")
        console.print(f"[bold]{name}[/]: {len(data.frame):,} rows from {data.location}")
        results[name], model_figures = bench(data, console)
        figures |= {f"{name}_{file}": figure for file, figure in model_figures.items()}
    show(results, console)
    if not args.no_mlflow:
        log(settings, results, figures, console)
    plots.close(figures)
    fraud, severity = results["fraud"], results["severity"]
    print(
        benchmark_line(
            line_values("fraud", fraud)
            | {"baseline_logreg_auc": fraud["logreg_roc_auc"]}
            | line_values("severity", severity)
            | {"glm_d2": severity["glm_d2_gamma"]}
            | line_values("peril", results["peril"])
        )
    )


def bench_fraud(data: TrainingSet, console: Console) -> tuple[dict[str, float], dict[str, Any]]:
    develop, held = hold_out("fraud", data)
    started = time.perf_counter()
    trained = train_fraud(develop)
    seconds = time.perf_counter() - started
    model, truth = trained.model, predict("fraud", trained.model, held)
    labels, probability = truth["label"], truth["probability"]
    spec = model.spec
    develop_rows = feature_rows(develop, fraud_row_to_fnol, fraud_features)
    held_rows = feature_rows(held, fraud_row_to_fnol, fraud_features)
    logreg = baselines.logistic_baseline(spec).fit(
        baselines.linear_frame(spec, develop_rows), develop.frame["FraudFound_P"].to_numpy()
    )
    logreg_p = logreg.predict_proba(baselines.linear_frame(spec, held_rows))[:, 1]
    flags = baselines.red_flag_score(held_rows)
    results = fraud_metrics(labels, probability) | {"train_seconds": seconds}
    results |= {f"cv_{k.removeprefix('cv_')}": v for k, v in trained.metrics.items() if k.startswith("cv_")}
    results |= {f"logreg_{k}": v for k, v in fraud_metrics(labels, logreg_p).items()}
    flag_metrics = fraud_metrics(labels, flags / len(baselines.RED_FLAGS))
    results |= {f"rules_{k}": flag_metrics[k] for k in ("roc_auc", "pr_auc", "recall_at_10pct_review")}
    results["out_of_time_roc_auc"] = out_of_time_auc(develop, held)
    cases = [as_case(fraud_row_to_fnol(row)) for row in frame_rows(held.frame.head(1_000))]
    results |= latency("score", model.score, model.score_many, cases)
    figures = plots.fraud_plots(
        labels,
        {
            "LightGBM": probability,
            "logistic regression": logreg_p,
            "red flags (count / 6)": flags / len(baselines.RED_FLAGS),
        },
    )
    gains = dict(zip(model.booster.feature_name(), model.booster.feature_importance("gain"), strict=True))
    return results, figures | plots.importance_plot(gains)


def out_of_time_auc(develop: TrainingSet, held: TrainingSet, last_year: int = 1996) -> float:
    """ROC AUC on the held-back claims of `last_year`, of a model trained on the earlier development claims.

    A deployed model only scores claims later than its training data; a random split hides how much
    of the ranking is learning *when* frauds were found.
    """
    early = replace(develop, frame=develop.frame[develop.frame["Year"] < last_year].reset_index(drop=True))
    late = replace(held, frame=held.frame[held.frame["Year"] == last_year].reset_index(drop=True))
    truth = predict("fraud", train_fraud(early, folds=3).model, late)
    return fraud_metrics(truth["label"], truth["probability"])["roc_auc"]


def bench_severity(data: TrainingSet, console: Console) -> tuple[dict[str, float], dict[str, Any]]:
    develop, held = hold_out("severity", data)
    started = time.perf_counter()
    trained = train_severity(develop)
    seconds = time.perf_counter() - started
    model, truth = trained.model, predict("severity", trained.model, held)
    amounts, expected = truth["amount"], truth["expected"]
    spec = model.spec
    develop_rows = feature_rows(develop, severity_row_to_fnol, severity_features)
    held_rows = feature_rows(held, severity_row_to_fnol, severity_features)
    glm = baselines.gamma_glm_baseline(spec).fit(
        baselines.linear_frame(spec, develop_rows), develop.frame["ClaimAmount"].to_numpy(dtype=float)
    )
    glm_expected = glm.predict(baselines.linear_frame(spec, held_rows))
    results = severity_metrics(amounts, expected, truth["upper"], model.quantile) | {"train_seconds": seconds}
    results |= {k: v for k, v in trained.metrics.items() if k.startswith("cv_")}
    results |= {f"glm_{k}": v for k, v in severity_metrics(amounts, glm_expected).items()}
    results["constant_mean_d2_gamma"] = severity_metrics(
        amounts, np.full(len(amounts), develop.frame["ClaimAmount"].mean())
    )["d2_gamma"]
    cases = [as_case(severity_row_to_fnol(row)) for row in frame_rows(held.frame.head(1_000))]
    results |= latency("estimate", model.estimate, model.estimate_many, cases)
    gains = dict(zip(model.expected.feature_name(), model.expected.feature_importance("gain"), strict=True))
    return results, plots.severity_plots(amounts, expected) | plots.importance_plot(gains)


def bench_peril(data: TrainingSet, console: Console) -> tuple[dict[str, float], dict[str, Any]]:
    develop, held = hold_out("peril", data)
    started = time.perf_counter()
    trained = train_peril(develop)
    seconds = time.perf_counter() - started
    results = evaluate("peril", trained.model, held) | {"train_seconds": seconds}
    results |= {k: v for k, v in trained.metrics.items() if k.startswith("cv_")}
    texts = [str(t) for t in held.frame[PERIL_TEXT]]
    texts = (texts * (1 + 1_000 // max(len(texts), 1)))[:1_000]
    results |= latency("classify", trained.model.classify, trained.model.classify_many, texts)
    return results, {}


def latency(verb: str, one: Callable[[Any], Any], many: Callable[[Any], Any], items: list[Any]) -> dict[str, float]:
    """Median milliseconds to handle one item (over 200 calls), and milliseconds for a batch of up to 1,000."""
    one(items[0])  # warm up
    singles = []
    for item in items[:200]:
        started = time.perf_counter()
        one(item)
        singles.append(time.perf_counter() - started)
    started = time.perf_counter()
    many(items[:1_000])
    batch = time.perf_counter() - started
    return {f"{verb}_ms_per_claim": 1000 * float(np.median(singles)), f"{verb}_ms_per_1000": 1000 * batch}


def as_case(fnol: FNOL) -> ClaimCase:
    now = datetime.now(UTC)
    return ClaimCase(event_id=uuid.uuid4(), claim_id=fnol.claim_id, occurred_at=now, accepted_at=now, fnol=fnol)


def show(results: dict[str, dict[str, float]], console: Console) -> None:
    table = Table(title="Held-back split (20 %, never seen in training) and 5-fold CV on the other 80 %")
    for column in ("model", "figure", "value", "published / aim"):
        table.add_column(column)
    for name, figures in results.items():
        for key, value in figures.items():
            table.add_row(
                name, key, f"{value:,.4f}" if abs(value) < 100 else f"{value:,.0f}", PUBLISHED.get(f"{name} {key}", "")
            )
    console.print(table)


def log(
    settings: TriageSettings, results: dict[str, dict[str, float]], figures: dict[str, Any], console: Console
) -> None:
    from models.registry import ModelRegistry

    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    metrics = {f"{name}_{key}": value for name, figures_ in results.items() for key, value in figures_.items()}
    run = registry.log_run("benchmark-models", {"holdout": "20 %, seeded"}, metrics, {}, figures, {"kind": "benchmark"})
    console.print(f"logged to MLflow run {run} in {settings.resolved_mlflow_uri()}")


if __name__ == "__main__":
    main()
