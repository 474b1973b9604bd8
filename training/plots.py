"""Evaluation plots for MLflow: ROC, precision-recall, calibration, lift, residuals and feature importance."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")  # files only, never a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.calibration import calibration_curve  # noqa: E402
from sklearn.metrics import precision_recall_curve, roc_curve  # noqa: E402


def fraud_plots(labels: np.ndarray, scores: Mapping[str, np.ndarray]) -> dict[str, Figure]:
    """ROC, PR, calibration and lift of one or more scorers (name -> probability) on the same claims."""
    roc, pr, calibration, lift = (_axes(title) for title in ("ROC", "Precision-recall", "Calibration", "Lift"))
    base_rate = labels.mean()
    for name, score in scores.items():
        fpr, tpr, _ = roc_curve(labels, score)
        roc[1].plot(fpr, tpr, label=name)
        precision, recall, _ = precision_recall_curve(labels, score)
        pr[1].plot(recall, precision, label=name)
        if score.max() <= 1:
            observed, predicted = calibration_curve(labels, score, n_bins=10, strategy="quantile")
            calibration[1].plot(predicted, observed, marker="o", label=name)
        order = np.argsort(-score, kind="stable")
        caught = np.cumsum(labels[order]) / labels.sum()
        lift[1].plot(np.arange(1, len(labels) + 1) / len(labels), caught, label=name)
    roc[1].plot([0, 1], [0, 1], "k:", label="chance")
    pr[1].axhline(base_rate, color="k", linestyle=":", label="base rate")
    calibration[1].plot([0, base_rate * 5], [0, base_rate * 5], "k:", label="perfect")
    lift[1].plot([0, 1], [0, 1], "k:", label="random review")
    _label(roc, "false positive rate", "recall")
    _label(pr, "recall", "precision")
    _label(calibration, "mean predicted probability", "observed fraud rate")
    _label(lift, "share of claims reviewed (highest score first)", "share of frauds caught")
    return {"roc.png": roc[0], "pr.png": pr[0], "calibration.png": calibration[0], "lift.png": lift[0]}


def severity_plots(amounts: np.ndarray, expected: np.ndarray) -> dict[str, Figure]:
    """Residuals on the log scale and predicted against observed mean cost by decile of the prediction."""
    residuals = _axes("Log residuals")
    residuals[1].scatter(np.log(expected), np.log(amounts) - np.log(expected), s=2, alpha=0.3)
    residuals[1].axhline(0, color="k", linestyle=":")
    _label(residuals, "log expected cost", "log(amount / expected)")
    deciles = _axes("Expected vs observed by decile")
    table = (
        pd.DataFrame(
            {
                "decile": pd.qcut(pd.Series(expected).rank(method="first"), 10, labels=False),
                "expected": expected,
                "observed": amounts,
            }
        )
        .groupby("decile")
        .mean()
    )
    deciles[1].plot(table.index + 1, table["expected"], marker="o", label="expected")
    deciles[1].plot(table.index + 1, table["observed"], marker="o", label="observed")
    _label(deciles, "decile of expected cost", "mean cost")
    return {"residuals.png": residuals[0], "deciles.png": deciles[0]}


def importance_plot(gains: Mapping[str, float], top: int = 20) -> dict[str, Figure]:
    """Total split gain of the `top` features, as horizontal bars."""
    ranked = sorted(gains.items(), key=lambda item: item[1])[-top:]
    figure, axes = _axes("Feature importance (gain)")
    axes.barh([name for name, _ in ranked], [gain for _, gain in ranked])
    figure.tight_layout()
    return {"feature_importance.png": figure}


def close(figures: Mapping[str, Figure]) -> None:
    """Free the figures' memory once logged."""
    for figure in figures.values():
        plt.close(figure)


def _axes(title: str) -> tuple[Figure, plt.Axes]:
    figure, axes = plt.subplots(figsize=(6, 4.5))
    axes.set_title(title)
    return figure, axes


def _label(plot: tuple[Figure, plt.Axes], x: str, y: str) -> None:
    plot[1].set_xlabel(x)
    plot[1].set_ylabel(y)
    if plot[1].get_legend_handles_labels()[0]:
        plot[1].legend(fontsize=8)
