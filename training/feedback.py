"""Adjusters' decisions as extra training rows: `triage train fraud|severity --with-feedback`.

The labels follow the policy in training/labels.py (`fraud_label`, `severity_label`).
Each decided claim's FNOL goes through the same feature code as a data set row and a live claim.
The rows join every cross-validation fold's training part and the final fit with `weight` each,
never the parts that are scored, so the CV and held-back figures stay measured on the data set alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.features import FeatureRow, FeatureSpec
from models.fraud.features import fraud_features
from models.markets import outside
from models.severity.features import severity_features
from services.core.database import make_engine, migrate
from services.core.events import Market
from training.labels import LABEL_POLICY, DecidedClaim, LabelStore, fraud_label, severity_label

MODELS = ("fraud", "severity")


@dataclass(frozen=True)
class FeedbackRows:
    """Feature rows and targets made from adjusters' decisions, with the weight each row trains with."""

    rows: tuple[FeatureRow, ...]
    targets: np.ndarray
    weight: float
    claim_ids: tuple[str, ...]

    @property
    def digest(self) -> str:
        """sha256 of the claim ids and their targets: two runs trained on the same labels if theirs agree."""
        pairs = [[claim, float(target)] for claim, target in zip(self.claim_ids, self.targets, strict=True)]
        return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()

    def params(self) -> dict[str, str | float | int]:
        """What the MLflow run records about the feedback it trained on."""
        return {
            "feedback_rows": len(self.rows),
            "feedback_weight": self.weight,
            "feedback_sha256": self.digest,
            "feedback_label_policy": LABEL_POLICY,
        }

    def weights(self) -> np.ndarray:
        return np.full(len(self.rows), self.weight)


def feedback_rows(
    model: str, decided: Sequence[DecidedClaim], weight: float = 1.0, market: Market | None = None
) -> FeedbackRows:
    """The training rows model `model` (fraud or severity) gets from `decided` under the label policy.

    A severity model learns the amounts of its data's `market` only: a claim of another country or currency
    teaches it nothing (its amount is another money, or another cost level).
    """
    if model not in MODELS:
        raise ValueError(f"no feedback labels for the {model} model; only for {', '.join(MODELS)}")
    label, features = (fraud_label, fraud_features) if model == "fraud" else (severity_label, severity_features)
    if model == "severity" and market is not None:
        decided = [claim for claim in decided if outside(market, claim.fnol) is None]
    kept = [(claim, target) for claim in decided if (target := label(claim)) is not None]
    return FeedbackRows(
        rows=tuple(features(claim.fnol) for claim, _ in kept),
        targets=np.array([target for _, target in kept], dtype=float),
        weight=weight,
        claim_ids=tuple(claim.claim_id for claim, _ in kept),
    )


def load_feedback(model: str, database_url: str, weight: float = 1.0, market: Market | None = None) -> FeedbackRows:
    """The feedback rows for `model` (of `market`) from the decisions stored in the claim store at `database_url`."""
    migrate(database_url)  # a store that never ran a service has no tables yet: it has no decisions either
    return feedback_rows(model, LabelStore(make_engine(database_url)).decided(), weight, market)


@dataclass(frozen=True)
class ExtraRows:
    """Feedback rows as a model's input frame: what every fit trains on besides its part of the data set."""

    frame: pd.DataFrame
    targets: np.ndarray
    weights: np.ndarray

    @classmethod
    def of(cls, feedback: FeedbackRows | None, spec: FeatureSpec) -> ExtraRows | None:
        """The feedback framed by `spec`; None without feedback."""
        if feedback is None or not feedback.rows:
            return None
        return cls(spec.frame(list(feedback.rows)), feedback.targets, feedback.weights())


def appended(
    frame: pd.DataFrame, targets: np.ndarray, extra: ExtraRows | None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray | None]:
    """(frame, targets, weights) with the extra rows after the data set's; weights None when there are none."""
    if extra is None:
        return frame, targets, None
    weights = np.concatenate([np.ones(len(targets)), extra.weights])
    return (pd.concat([frame, extra.frame], ignore_index=True), np.concatenate([targets, extra.targets]), weights)
