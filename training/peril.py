"""Train the cause-of-loss model: 5-fold cross-validated figures, then the final fit on every description."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from models.mapping import PERIL_TEXT
from models.peril.model import TEXT_COLUMN, PerilModel, normalise, text_classifier
from training.metrics import peril_metrics
from training.sources import PERIL_LABEL, TrainingSet
from training.trained import StepStarted, TrainedModel, quietly

FOLDS = 5
C = 0.5  # chosen by 5-fold cross-validation
SEED = 7


def train_peril(
    data: TrainingSet, *, folds: int = FOLDS, seed: int = SEED, c: float = C, on_step: StepStarted = quietly
) -> TrainedModel:
    """Cross-validate and fit the peril classifier on the descriptions of `data`."""
    # The sigmoid calibration runs thousands of tiny L-BFGS steps, which BLAS threads only slow down.
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(data, folds, seed, c, on_step)


def _train(data: TrainingSet, folds: int, seed: int, c: float, on_step: StepStarted) -> TrainedModel:
    started = time.perf_counter()
    texts = np.array([normalise(str(t)) for t in data.frame[PERIL_TEXT]], dtype=object)
    labels = data.frame[PERIL_LABEL].to_numpy(dtype=str)
    predicted = np.empty(len(labels), dtype=object)
    for k, (train, test) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels)):
        on_step(f"peril: cross-validation fold {k + 1}/{folds}")
        predicted[test] = text_classifier(c, seed).fit(list(texts[train]), labels[train]).predict(list(texts[test]))
    on_step("peril: final fit")
    model = PerilModel(text_classifier(c, seed).fit(list(texts), labels))
    metrics = {f"cv_{k}": v for k, v in peril_metrics(labels, predicted.astype(str)).items()}
    metrics |= {"n_rows": float(len(labels)), "train_seconds": round(time.perf_counter() - started, 2)}
    params = {
        "features": "tfidf char_wb 2-5 + word 1-2",
        "classifier": "LinearSVC + sigmoid calibration (3 folds)",
        "C": c,
        "seed": seed,
        "folds": folds,
        "data_source": data.source,
    }
    example = pd.DataFrame({TEXT_COLUMN: [str(t) for t in data.frame[PERIL_TEXT].head(5)]})
    artifacts = {"confusion_matrix.csv": _confusion_csv(labels, predicted.astype(str), model.perils)}
    return TrainedModel(model, params, metrics, example, artifacts)


def _confusion_csv(labels: np.ndarray, predicted: np.ndarray, perils: list[str]) -> str:
    """Out-of-fold confusion matrix: true peril by row, predicted by column."""
    matrix = confusion_matrix(labels, predicted, labels=perils)
    return pd.DataFrame(matrix, index=pd.Index(perils, name="true"), columns=perils).to_csv()
