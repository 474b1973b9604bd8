"""Held-back evaluation: the split training never sees, and a registered model's figures on a labelled file.

The split is fixed by a seed and drawn like the sealed hold-outs were: stratified on the label
(fraud, peril), whole policies on one side (severity). Training fits on the development part
only, so a model's figures on the held-back part — and the champion/challenger comparison on
it — are what it would score on claims it never saw.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from sklearn.model_selection import GroupShuffleSplit, train_test_split

from models.fraud.features import fraud_features
from models.mapping import FRAUD_LABEL, PERIL_TEXT, SEVERITY_LABEL, fraud_row_to_fnol, severity_row_to_fnol
from models.severity.features import severity_features
from training.metrics import fraud_metrics, peril_metrics, severity_metrics
from training.sources import PERIL_LABEL, TrainingSet
from training.trained import feature_rows

HOLDOUT_SHARE = 0.2
HOLDOUT_SEED = 20261124


def hold_out(
    name: str, data: TrainingSet, share: float = HOLDOUT_SHARE, seed: int = HOLDOUT_SEED
) -> tuple[TrainingSet, TrainingSet]:
    """(development part, held-back part) of `data` for model `name`; no held-back part when `share` is 0."""
    frame = data.frame.reset_index(drop=True)
    if share <= 0:
        return replace(data, frame=frame), replace(data, frame=frame.iloc[:0])
    rows = np.arange(len(frame))
    if name == "severity":
        groups = frame.get("IDpol", rows)
        develop, held = next(GroupShuffleSplit(1, test_size=share, random_state=seed).split(rows, groups=groups))
    else:
        label = frame[FRAUD_LABEL if name == "fraud" else PERIL_LABEL]
        develop, held = train_test_split(rows, test_size=share, random_state=seed, stratify=label)
    part = {"develop": np.sort(develop), "held": np.sort(held)}
    return (
        replace(data, frame=frame.iloc[part["develop"]].reset_index(drop=True)),
        replace(data, frame=frame.iloc[part["held"]].reset_index(drop=True)),
    )


def predict(name: str, model: Any, data: TrainingSet) -> dict[str, np.ndarray]:
    """A model's predictions for every row of `data`, with the truth, as arrays."""
    frame = data.frame
    if name == "fraud":
        rows = feature_rows(data, fraud_row_to_fnol, fraud_features)
        return {
            "label": frame[FRAUD_LABEL].to_numpy(dtype=int),
            "probability": model.probabilities(model.spec.matrix(rows)),
        }
    if name == "severity":
        expected, upper = model.predict(model.spec.matrix(feature_rows(data, severity_row_to_fnol, severity_features)))
        return {"amount": frame[SEVERITY_LABEL].to_numpy(dtype=float), "expected": expected, "upper": upper}
    classified = model.classify_many([str(t) for t in frame[PERIL_TEXT]])
    return {
        "label": frame[PERIL_LABEL].to_numpy(dtype=str),
        "predicted": np.array([peril for peril, _ in classified], dtype=str),
    }


def evaluate(name: str, model: Any, data: TrainingSet) -> dict[str, float]:
    """The figures of model `name` on the labelled rows of `data`."""
    predicted = predict(name, model, data)
    if name == "fraud":
        return fraud_metrics(predicted["label"], predicted["probability"])
    if name == "severity":
        return severity_metrics(predicted["amount"], predicted["expected"], predicted["upper"], model.quantile)
    return peril_metrics(predicted["label"], predicted["predicted"])
