"""Train the severity model: 5-fold cross-validation for the figures, then the final fit.

Claim amounts in freMTPL2 run from 1 EUR to 4 M EUR: a few claims thousands of times the mean
would steer every Gamma gradient (uncapped, the model does worse than the constant mean on D²).
The expected-cost model therefore learns amounts capped at the 99.5th percentile of its training
claims, and the capped-off excess comes back as a flat large-loss loading (mean raw / mean capped),
so the expected cost stays unbiased over the book. The 0.9-quantile model learns the raw amounts:
the pinball loss does not care how far above the quantile a claim lies.
Folds keep all claims of a policy together, as the sealed hold-out split does.
"""

from __future__ import annotations

import time

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import d2_tweedie_score, mean_absolute_error
from sklearn.model_selection import GroupKFold

from models.features import FeatureSpec
from models.mapping import SEVERITY_LABEL, severity_row_to_fnol
from models.severity.features import CATEGORICAL, NUMERIC, severity_features
from models.severity.model import SeverityModel
from training.feedback import ExtraRows, FeedbackRows, appended
from training.sources import TrainingSet
from training.trained import StepStarted, TrainedModel, feature_rows, importance_csv, quietly, spec_json

QUANTILE = 0.9
CAP_QUANTILE = 0.995
# One thread: on 20k rows threads cost more in synchronisation than they save, and far more on a busy machine.
PARAMS = {
    "objective": "gamma",
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "seed": 7,
    "deterministic": True,
    "verbose": -1,
}
UPPER_PARAMS = {**PARAMS, "objective": "quantile", "alpha": QUANTILE}
# The expected cost only falls as the policy ages (young policies' claims cost more in freMTPL2): held to that.
MONOTONE = {"policy_years_at_loss": -1}
# Expected cost: the rounds with the best cross-validated D² on the development part; the quantile model takes 200.
ROUNDS = 100
UPPER_ROUNDS = 200
FOLDS = 5
SEED = 7


def train_severity(
    data: TrainingSet,
    *,
    rounds: int = ROUNDS,
    folds: int = FOLDS,
    seed: int = SEED,
    on_step: StepStarted = quietly,
    feedback: FeedbackRows | None = None,
) -> TrainedModel:
    """Cross-validate and fit the severity model on `data`; the same seed and data give the same model.

    `feedback` rows (approved amounts, training.feedback) join each fold's training part and the final fit.
    """
    started = time.perf_counter()
    rows = feature_rows(data, severity_row_to_fnol, severity_features)
    amounts = data.frame[SEVERITY_LABEL].to_numpy(dtype=float)
    extra_rows = list(feedback.rows) if feedback else []
    spec = FeatureSpec.learn(rows + extra_rows, numeric=NUMERIC, categorical=CATEGORICAL)
    frame = spec.frame(rows)
    extra = ExtraRows.of(feedback, spec)
    expected, upper = np.zeros(len(amounts)), np.zeros(len(amounts))
    policies = data.frame["IDpol"] if "IDpol" in data.frame else np.arange(len(amounts))
    splits = GroupKFold(folds, shuffle=True, random_state=seed).split(frame, amounts, groups=policies)
    for k, (train, test) in enumerate(splits):
        on_step(f"severity: cross-validation fold {k + 1}/{folds}")
        fold_model = fit_severity(frame.iloc[train], amounts[train], spec, rounds, seed, extra)
        expected[test], upper[test] = fold_model.predict(frame.iloc[test])
    on_step("severity: final fit")
    model = fit_severity(frame, amounts, spec, rounds, seed, extra)
    model = model.with_market(data.market) if data.market else model  # it estimates claims of that market only
    metrics = evaluate(amounts, expected, upper) | {
        "large_loss_loading": round(model.large_loss_loading, 4),
        "n_rows": float(len(amounts)),
        "train_seconds": round(time.perf_counter() - started, 2),
    }
    params = {
        **PARAMS,
        "seed": seed,
        "upper_objective": "quantile",
        "quantile": QUANTILE,
        "cap_quantile": CAP_QUANTILE,
        "monotone": MONOTONE,
        "rounds": rounds,
        "upper_rounds": UPPER_ROUNDS,
        "folds": folds,
        "data_source": data.source,
        **(feedback.params() if feedback else {}),
    }
    artifacts = {"feature_spec.json": spec_json(spec), "feature_importance.csv": importance_csv(model.expected)}
    return TrainedModel(model, params, metrics, spec.raw_frame(rows[:5]), artifacts)


def fit_severity(
    frame: pd.DataFrame,
    amounts: np.ndarray,
    spec: FeatureSpec,
    rounds: int,
    seed: int = SEED,
    extra: ExtraRows | None = None,
) -> SeverityModel:
    """Both boosters on one training set: expected cost on capped amounts, the upper quantile on raw ones."""
    frame, amounts, weights = appended(frame, amounts, extra)
    capped = np.minimum(amounts, np.quantile(amounts, CAP_QUANTILE))
    monotone = [MONOTONE.get(name, 0) for name in spec.names]
    expected = lgb.train(
        {**PARAMS, "seed": seed, "monotone_constraints": monotone},
        lgb.Dataset(frame, capped, weight=weights),
        num_boost_round=rounds,
    )
    upper = lgb.train(
        {**UPPER_PARAMS, "seed": seed}, lgb.Dataset(frame, amounts, weight=weights), num_boost_round=UPPER_ROUNDS
    )
    loading = np.average(amounts, weights=weights) / np.average(capped, weights=weights)
    return SeverityModel(expected, upper, QUANTILE, float(loading), spec)


def evaluate(amounts: np.ndarray, expected: np.ndarray, upper: np.ndarray) -> dict[str, float]:
    """Out-of-fold figures on the raw amounts, with the constant predictors they should beat."""
    metrics = {
        "cv_mae": mean_absolute_error(amounts, expected),
        "cv_mae_constant_mean": mean_absolute_error(amounts, np.full(len(amounts), amounts.mean())),
        "cv_mae_constant_median": mean_absolute_error(amounts, np.full(len(amounts), np.median(amounts))),
        "cv_d2_gamma": d2_tweedie_score(amounts, expected, power=2),
        "cv_q90_coverage": float(np.mean(amounts <= upper)),
        "cv_mean_expected_over_mean_amount": float(expected.mean() / amounts.mean()),
    }
    return {k: round(float(v), 5) for k, v in metrics.items()}
