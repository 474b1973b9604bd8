"""The fraud model: a LightGBM classifier, a calibrator fitted out of fold, and the feature spec it reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import lightgbm as lgb
import numpy as np
import pandas as pd

from models.calibration import Calibrator
from models.features import SCORING_THREADS, FeatureRow, FeatureSpec
from models.fraud.features import fraud_features
from models.fraud.reasons import top_reasons
from services.core.events import ClaimCase, FraudScore, ModelRef

UNREGISTERED = ModelRef(name="fraud", version="unregistered", alias="none")


@dataclass(frozen=True, eq=False)
class FraudModel:
    """Scores a claim case: calibrated fraud probability and the three strongest reasons.

    Trained on motor claims only; a claim of another line is still scored, its motor facts missing.
    """

    booster: lgb.Booster
    calibrator: Calibrator
    spec: FeatureSpec
    ref: ModelRef = field(default=UNREGISTERED)

    def with_ref(self, ref: ModelRef) -> FraudModel:
        """The same model, named as the registry knows it."""
        return replace(self, ref=ref)

    def probabilities(self, features: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Calibrated fraud probabilities for inputs built by `spec.frame` or `spec.matrix`."""
        return self.calibrator(np.asarray(self.booster.predict(features, raw_score=True)))

    def score(self, case: ClaimCase) -> FraudScore:
        """The fraud section of one case."""
        return self.score_many([case])[0]

    def score_many(self, cases: Sequence[ClaimCase]) -> list[FraudScore]:
        """The fraud sections of many cases, scored in one batch."""
        return self.score_rows([fraud_features(case.fnol) for case in cases])

    def score_rows(self, rows: Sequence[FeatureRow]) -> list[FraudScore]:
        """The fraud sections for feature rows (as `fraud_features` makes them), scored in one batch."""
        if not rows:
            return []
        contributions = np.asarray(
            self.booster.predict(self.spec.matrix(rows), pred_contrib=True, num_threads=SCORING_THREADS)
        )
        # SHAP values add up to the raw score
        probabilities = np.clip(self.calibrator(contributions.sum(axis=1)), 0.0, 1.0).tolist()
        contributions = contributions[:, :-1]  # the last column is the base value, not a feature
        names = self.spec.names
        return [
            FraudScore(
                probability=p,
                model=self.ref,
                reasons=top_reasons(names, [row[n] for n in names], contribution),
            )
            for p, row, contribution in zip(probabilities, rows, contributions, strict=True)
        ]

    def predict_features(self, raw: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities for a frame of raw feature values (numbers and text), e.g. from MLflow."""
        return self.probabilities(self.spec.matrix(self.spec.rows_from_raw(raw)))
