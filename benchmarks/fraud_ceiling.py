"""How much ranking the fraud data set's own columns hold, and how much of it our FNOL features keep.

    python -m benchmarks.fraud_ceiling [--datasets ../shared/data] [--seeds 3]

On the development part only (the held-back split is never touched): an untuned LightGBM
(library defaults, one thread) scored by 5-fold CV, averaged over seeds, on
  * every raw column, the row number PolicyNumber included (SOURCE.md: a pure row id),
  * the raw columns without PolicyNumber, then also without RepNumber (the claim handler, unknown
    at first notice) and Year,
  * the features the fraud model reads (FNOL -> models.fraud.features), and those plus the loss year;
then the same model trained on the 1994-95 development claims and scored on the 1996 ones, with and
without the loss year: a deployed model only scores claims later than its training data.
Ends with one line: `fraud_ceiling: key=value ...`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from models.features import FeatureSpec
from models.fraud.features import CATEGORICAL, NUMERIC, ORDINAL, fraud_features
from models.mapping import FRAUD_LABEL, fraud_row_to_fnol
from services.core.settings import TriageSettings
from training.evaluation import hold_out
from training.sources import FRAUD, load_training_set
from training.trained import feature_rows

UNTUNED = {"objective": "binary", "num_threads": 1, "verbose": -1}
ROUNDS = 100  # LGBMClassifier's default


def cv_auc(frame: pd.DataFrame, labels: np.ndarray, seeds: int) -> tuple[float, float]:
    """Mean out-of-fold (ROC AUC, PR AUC) of the untuned model over `seeds` 5-fold splits."""
    figures = []
    for seed in range(seeds):
        scores = np.zeros(len(labels))
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(frame, labels):
            booster = lgb.train({**UNTUNED, "seed": seed}, lgb.Dataset(frame.iloc[train], labels[train]), ROUNDS)
            scores[test] = np.asarray(booster.predict(frame.iloc[test]))
        figures.append((roc_auc_score(labels, scores), average_precision_score(labels, scores)))
    roc, pr = np.mean(figures, axis=0)
    return float(roc), float(pr)


def out_of_time_auc(frame: pd.DataFrame, labels: np.ndarray, years: np.ndarray) -> float:
    """ROC AUC on the 1996 claims of the untuned model trained on the earlier ones."""
    early, late = years < 1996, years == 1996
    booster = lgb.train(UNTUNED, lgb.Dataset(frame[early], labels[early]), ROUNDS)
    return float(roc_auc_score(labels[late], booster.predict(frame[late])))


def raw_frame(frame: pd.DataFrame, drop: tuple[str, ...]) -> pd.DataFrame:
    """The data set's columns as LightGBM reads them: text as categories, numbers as they are."""
    raw = frame.drop(columns=[FRAUD_LABEL, *drop])
    typed: pd.DataFrame = raw.apply(lambda c: c if pd.api.types.is_numeric_dtype(c) else c.astype("category"))
    return typed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=None, help="default: TRIAGE_DATASETS_DIR")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    develop, _ = hold_out("fraud", load_training_set(FRAUD, args.datasets or TriageSettings().datasets_dir))
    labels, years = develop.frame[FRAUD_LABEL].to_numpy(dtype=int), develop.frame["Year"].to_numpy()
    rows = feature_rows(develop, fraud_row_to_fnol, fraud_features)
    features = FeatureSpec.learn(rows, numeric=NUMERIC, categorical=CATEGORICAL, ordinal=ORDINAL).frame(rows)
    with_year = features.assign(loss_year=years.astype(float))
    frames = {
        "raw_all": raw_frame(develop.frame, ()),
        "raw_no_rowid": raw_frame(develop.frame, ("PolicyNumber",)),
        "raw_no_rowid_rep_year": raw_frame(develop.frame, ("PolicyNumber", "RepNumber", "Year")),
        "features": features,
        "features_year": with_year,
    }
    line: dict[str, float] = {}
    for name, frame in frames.items():
        roc, pr = cv_auc(frame, labels, args.seeds)
        print(f"{name:<24} CV ROC AUC {roc:.4f}  PR AUC {pr:.4f}  ({frame.shape[1]} inputs)")
        line |= {f"{name}_auc": roc, f"{name}_pr_auc": pr}
    for name, frame in (("features", features), ("features_year", with_year)):
        line[f"{name}_out_of_time_auc"] = out_of_time_auc(frame, labels, years)
        print(f"{name:<24} out of time (1994-95 -> 1996) ROC AUC {line[f'{name}_out_of_time_auc']:.4f}")
    print("fraud_ceiling: " + " ".join(f"{key}={value:.4f}" for key, value in line.items()))


if __name__ == "__main__":
    main()
