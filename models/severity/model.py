"""The severity model: LightGBM expected cost (Gamma) and a LightGBM upper quantile, motor claims only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import lightgbm as lgb
import numpy as np
import pandas as pd

from models.features import SCORING_THREADS, FeatureRow, FeatureSpec
from models.severity.features import severity_features
from services.core.events import ClaimCase, LineOfBusiness, ModelRef, SeverityEstimate

UNREGISTERED = ModelRef(name="severity", version="unregistered", alias="none")
CURRENCY = "EUR"


@dataclass(frozen=True, eq=False)
class SeverityModel:
    """Estimates a motor claim's cost: the expected value and an upper quantile.

    `expected` is trained on capped amounts; `large_loss_loading` (mean of the raw amounts over
    the mean of the capped ones) puts the capped-off tail back as a flat share, so the expected
    cost stays unbiased over the book.
    """

    expected: lgb.Booster
    upper: lgb.Booster
    quantile: float
    large_loss_loading: float
    spec: FeatureSpec
    ref: ModelRef = field(default=UNREGISTERED)

    def with_ref(self, ref: ModelRef) -> SeverityModel:
        """The same model, named as the registry knows it."""
        return replace(self, ref=ref)

    def predict(self, features: pd.DataFrame | np.ndarray, threads: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Expected cost and upper quantile for inputs built by `spec.frame` or `spec.matrix`; `threads` 0: all."""
        expected = np.asarray(self.expected.predict(features, num_threads=threads)) * self.large_loss_loading
        return expected, np.maximum(np.asarray(self.upper.predict(features, num_threads=threads)), 0.0)

    def estimate(self, case: ClaimCase) -> SeverityEstimate:
        """The severity section of one case."""
        return self.estimate_many([case])[0]

    def estimate_many(self, cases: Sequence[ClaimCase]) -> list[SeverityEstimate]:
        """The severity sections of many cases, estimated in one batch; other lines get a note, no figures."""
        estimates = [self._no_model(case) for case in cases]
        motor = [i for i, case in enumerate(cases) if case.fnol.line_of_business is LineOfBusiness.MOTOR]
        if not motor:
            return estimates
        for i, estimate in zip(motor, self.estimate_rows([severity_features(cases[i].fnol) for i in motor]),
                               strict=True):
            estimates[i] = estimate
        return estimates

    def estimate_rows(self, rows: Sequence[FeatureRow]) -> list[SeverityEstimate]:
        """The severity sections for motor claims' feature rows (as `severity_features` makes them), in one batch."""
        if not rows:
            return []
        expected, upper = self.predict(self.spec.matrix(rows), threads=SCORING_THREADS)
        return [SeverityEstimate(expected_cost=round(float(cost), 2), upper_quantile=round(float(high), 2),
                                 quantile=self.quantile, currency=CURRENCY, model=self.ref)
                for cost, high in zip(expected, upper, strict=True)]

    def _no_model(self, case: ClaimCase) -> SeverityEstimate:
        line = case.fnol.line_of_business.value
        return SeverityEstimate(expected_cost=None, upper_quantile=None, quantile=self.quantile, currency=CURRENCY,
                                model=None, note=f"no severity model for line {line}")

    def predict_features(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Expected cost and upper quantile for a frame of raw feature values, e.g. from MLflow."""
        expected, upper = self.predict(self.spec.matrix(self.spec.rows_from_raw(raw)))
        return pd.DataFrame({"expected_cost": expected, "upper_quantile": upper})

