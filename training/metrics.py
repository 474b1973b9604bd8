"""The figures a model is judged by, the same functions for cross-validation, hold-out, benchmark and `evaluate`.

Fraud: ranking (ROC AUC, PR AUC), calibration (Brier), what adjusters catch when they review the
top `REVIEW_RATE` of claims, and the share of claims that could go straight through while at
most `LEAK_RATE` of the frauds pass unreviewed. Severity: Gamma deviance D² (1 - deviance of the
model / deviance of the constant mean), MAE, RMSE, the Gini of the ranking, and the coverage and
pinball loss of the upper quantile. Peril: accuracy and macro F1.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    d2_tweedie_score,
    f1_score,
    mean_absolute_error,
    mean_pinball_loss,
    mean_squared_error,
    roc_auc_score,
)

REVIEW_RATE = 0.10  # share of claims an adjuster team can review
LEAK_RATE = 0.03  # share of frauds a claims director accepts to let through unreviewed


def fraud_metrics(labels: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """Ranking, calibration and operating-point figures of fraud probabilities."""
    labels = np.asarray(labels, dtype=int)
    return _rounded(
        {
            "roc_auc": roc_auc_score(labels, probability),
            "pr_auc": average_precision_score(labels, probability),
            "brier": brier_score_loss(labels, probability),
            "recall_at_10pct_review": recall_at_review_rate(probability, labels, REVIEW_RATE),
            "stp_share_at_3pct_leak": straight_through_share(probability, labels, LEAK_RATE),
            "base_rate": labels.mean(),
        }
    )


def recall_at_review_rate(probability: np.ndarray, labels: np.ndarray, rate: float) -> float:
    """Share of all frauds among the `rate` highest-scored claims."""
    order = np.argsort(-np.asarray(probability), kind="stable")
    reviewed = order[: int(round(rate * len(labels)))]
    return float(labels[reviewed].sum() / labels.sum())


def straight_through_share(probability: np.ndarray, labels: np.ndarray, leak_rate: float) -> float:
    """Share of claims scored below a threshold that lets at most `leak_rate` of the frauds through.

    The threshold is the score of the first fraud that must be caught: every claim strictly below
    it goes straight through (ties with it are reviewed, so the leak never exceeds the rate).
    """
    probability = np.asarray(probability, dtype=float)
    fraud_scores = np.sort(probability[np.asarray(labels) == 1])
    allowed = int(np.floor(leak_rate * len(fraud_scores)))
    return float(np.mean(probability < fraud_scores[allowed]))


def severity_metrics(
    amounts: np.ndarray, expected: np.ndarray, upper: np.ndarray | None = None, quantile: float = 0.9
) -> dict[str, float]:
    """Accuracy of the expected cost, and coverage and pinball loss of the upper quantile if given."""
    metrics = {
        "d2_gamma": d2_tweedie_score(amounts, expected, power=2),
        "mae": mean_absolute_error(amounts, expected),
        "rmse": float(np.sqrt(mean_squared_error(amounts, expected))),
        "gini": gini(amounts, expected),
        "mae_constant_mean": mean_absolute_error(amounts, np.full(len(amounts), amounts.mean())),
        "mean_expected_over_mean_amount": expected.mean() / amounts.mean(),
    }
    if upper is not None:
        metrics |= {
            "q90_coverage": np.mean(amounts <= upper),
            "q90_pinball": mean_pinball_loss(amounts, upper, alpha=quantile),
        }
    return _rounded(metrics)


def gini(amounts: np.ndarray, predicted: np.ndarray) -> float:
    """Normalised Gini of the ranking: 1 if `predicted` orders the amounts perfectly, 0 if at random."""

    def lorenz_gini(order_by: np.ndarray) -> float:
        ordered = np.asarray(amounts, dtype=float)[np.argsort(-order_by, kind="stable")]
        cumulative = np.cumsum(ordered) / ordered.sum()
        return float(np.mean(cumulative - np.arange(1, len(ordered) + 1) / len(ordered)))

    return lorenz_gini(np.asarray(predicted, dtype=float)) / lorenz_gini(np.asarray(amounts, dtype=float))


def peril_metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Accuracy and macro F1 (every peril weighs the same, however rare) of predicted perils."""
    return _rounded(
        {"accuracy": accuracy_score(labels, predicted), "macro_f1": f1_score(labels, predicted, average="macro")}
    )


# The benchmark line's keys, per model: (key in the line, metric name).
LINE_KEYS = {
    "fraud": (
        ("fraud_auc", "roc_auc"),
        ("fraud_pr_auc", "pr_auc"),
        ("fraud_brier", "brier"),
        ("fraud_recall_at_10pct", "recall_at_10pct_review"),
        ("stp_share_at_3pct_leak", "stp_share_at_3pct_leak"),
    ),
    "severity": (
        ("severity_d2", "d2_gamma"),
        ("severity_mae", "mae"),
        ("severity_gini", "gini"),
        ("severity_q90_coverage", "q90_coverage"),
    ),
    "peril": (("peril_accuracy", "accuracy"),),
}


def benchmark_line(values: Mapping[str, float]) -> str:
    """`models: key=value ...` with each value to 4 significant decimals (MAE as a whole number)."""
    parts = [f"{key}={value:.0f}" if key.endswith("_mae") else f"{key}={value:.4f}" for key, value in values.items()]
    return "models: " + " ".join(parts)


def line_values(name: str, metrics: Mapping[str, float]) -> dict[str, float]:
    """The benchmark line's keys for model `name`, from its metrics."""
    return {key: metrics[metric] for key, metric in LINE_KEYS[name]}


def _rounded(metrics: Mapping[str, float]) -> dict[str, float]:
    return {k: round(float(v), 5) for k, v in metrics.items()}
