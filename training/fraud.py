"""Train the fraud model: 5-fold cross-validation for the figures and the calibrator, then the final fit.

Every out-of-fold raw score comes from a booster that never saw that claim; the calibrator
(Platt or isotonic, see `evaluate`) is fitted on them. The reported figures use calibrators
cross-fitted the same way (fold k's probabilities come from a calibrator fitted on the other
folds' scores), so they are what the served probabilities would have scored.
"""

from __future__ import annotations

import time
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from models.calibration import CALIBRATORS
from models.features import FeatureSpec
from models.fraud.features import CATEGORICAL, NUMERIC, ORDINAL, fraud_features
from models.fraud.model import FraudModel
from models.mapping import FRAUD_LABEL, fraud_row_to_fnol
from training.feedback import ExtraRows, FeedbackRows, appended
from training.sources import TrainingSet
from training.trained import StepStarted, TrainedModel, feature_rows, importance_csv, quietly, spec_json

# One thread: on a data set this small threads cost more in synchronisation than they save, far more on a busy machine.
# Depth 4 and 150 rounds: as good by cross-validation as deeper trees, and the reasons (exact TreeSHAP, whose cost
# grows with the square of a tree's depth) cost a claim far less.
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.04,
    "max_depth": 4,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "min_data_per_group": 20,
    "cat_smooth": 10.0,
    "num_threads": 1,
    "seed": 7,
    "deterministic": True,
    "verbose": -1,
}
SEED = 7
ROUNDS = 150
FOLDS = 5
ISOTONIC_MARGIN = 0.99
REVIEW_RATE = 0.10  # share of claims an adjuster team can review


def train_fraud(
    data: TrainingSet,
    *,
    rounds: int = ROUNDS,
    folds: int = FOLDS,
    seed: int = SEED,
    on_step: StepStarted = quietly,
    feedback: FeedbackRows | None = None,
) -> TrainedModel:
    """Cross-validate, calibrate and fit the fraud model on `data`; the same seed and data give the same model.

    `feedback` rows (adjusters' decisions, training.feedback) join each fold's training part and the final fit.
    """
    started = time.perf_counter()
    params = {**PARAMS, "seed": seed}
    rows = feature_rows(data, fraud_row_to_fnol, fraud_features)
    labels = data.frame[FRAUD_LABEL].to_numpy(dtype=int)
    extra_rows = list(feedback.rows) if feedback else []
    spec = FeatureSpec.learn(rows + extra_rows, numeric=NUMERIC, categorical=CATEGORICAL, ordinal=ORDINAL)
    frame = spec.frame(rows)
    extra = ExtraRows.of(feedback, spec)
    raw, fold_of = np.zeros(len(labels)), np.zeros(len(labels), dtype=int)
    splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(frame, labels)
    for k, (train, test) in enumerate(splits):
        on_step(f"fraud: cross-validation fold {k + 1}/{folds}")
        booster = _fit(params, frame.iloc[train], labels[train], rounds, extra)
        raw[test] = np.asarray(booster.predict(frame.iloc[test], raw_score=True))
        fold_of[test] = k
    on_step("fraud: final fit")
    metrics, method, calibration_table = evaluate(raw, labels, fold_of)
    model = FraudModel(_fit(params, frame, labels, rounds, extra), CALIBRATORS[method](raw, labels), spec)
    metrics |= {"n_rows": float(len(labels)), "train_seconds": round(time.perf_counter() - started, 2)}
    params |= {
        "rounds": rounds,
        "folds": folds,
        "calibration": method,
        "review_rate": REVIEW_RATE,
        "data_source": data.source,
        **(feedback.params() if feedback else {}),
    }
    artifacts = {
        "calibration.csv": calibration_table,
        "feature_spec.json": spec_json(spec),
        "feature_importance.csv": importance_csv(model.booster),
    }
    return TrainedModel(model, params, metrics, spec.raw_frame(rows[:5]), artifacts)


def evaluate(raw: np.ndarray, labels: np.ndarray, fold_of: np.ndarray) -> tuple[dict[str, float], str, str]:
    """Figures of out-of-fold scores under the chosen calibration: (metrics, method, calibration table).

    Platt unless isotonic is clearly better (Brier 1 % lower): isotonic steps leave a claim's
    probability unmoved by a red flag that moved its raw score, which adjusters find baffling.
    """
    calibrated = {method: _cross_fitted(method, raw, labels, fold_of) for method in CALIBRATORS}
    briers = {method: brier_score_loss(labels, p) for method, p in calibrated.items()}
    method = "isotonic" if briers["isotonic"] < ISOTONIC_MARGIN * briers["platt"] else "platt"
    probability = calibrated[method]
    metrics = {
        "cv_roc_auc": roc_auc_score(labels, probability),
        "cv_pr_auc": average_precision_score(labels, probability),
        "cv_brier": briers[method],
        "cv_brier_uncalibrated": brier_score_loss(labels, 1 / (1 + np.exp(-raw))),
        **{f"cv_brier_{m}": b for m, b in briers.items()},
        "cv_recall_at_10pct_review": recall_at_review_rate(probability, raw, labels, REVIEW_RATE),
        "base_rate": float(labels.mean()),
    }
    return {k: round(float(v), 5) for k, v in metrics.items()}, method, _calibration_table(probability, labels)


def recall_at_review_rate(probability: np.ndarray, raw: np.ndarray, labels: np.ndarray, rate: float) -> float:
    """Share of all frauds among the `rate` highest-scored claims (ties in probability broken by raw score)."""
    order = np.lexsort((-raw, -probability))
    reviewed = order[: int(round(rate * len(labels)))]
    return float(labels[reviewed].sum() / labels.sum())


def _fit(
    params: dict[str, Any], frame: pd.DataFrame, labels: np.ndarray, rounds: int, extra: ExtraRows | None = None
) -> lgb.Booster:
    frame, labels, weights = appended(frame, labels, extra)
    return lgb.train(params, lgb.Dataset(frame, labels, weight=weights), num_boost_round=rounds)


def _cross_fitted(method: str, raw: np.ndarray, labels: np.ndarray, fold_of: np.ndarray) -> np.ndarray:
    probability = np.zeros(len(raw))
    for k in np.unique(fold_of):
        held = fold_of == k
        probability[held] = CALIBRATORS[method](raw[~held], labels[~held])(raw[held])
    return probability


def _calibration_table(probability: np.ndarray, labels: np.ndarray) -> str:
    """Mean predicted probability against the observed fraud rate, by decile of the prediction."""
    deciles = pd.qcut(pd.Series(probability).rank(method="first"), 10, labels=False)
    table = pd.DataFrame({"decile": deciles + 1, "predicted": probability, "observed": labels})
    return (
        table.groupby("decile")
        .agg(claims=("observed", "size"), predicted=("predicted", "mean"), observed=("observed", "mean"))
        .round(4)
        .to_csv()
    )
