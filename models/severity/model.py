"""The severity model: LightGBM expected cost (Gamma) and a LightGBM upper quantile, for its market's claims only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import lightgbm as lgb
import numpy as np
import pandas as pd

from models.features import SCORING_THREADS, FeatureRow, FeatureSpec
from models.severity.estimates import UNNAMED_MARKET, no_model_for_line, outside_market
from models.severity.features import severity_features
from services.core.events import ClaimCase, Market, ModelRef, SeverityEstimate

UNREGISTERED = ModelRef(name="severity", version="unregistered", alias="none")


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
    market: Market = field(default=UNNAMED_MARKET)  # also what a pickled model without a market reads

    def with_ref(self, ref: ModelRef) -> SeverityModel:
        """The same model, named as the registry knows it."""
        return replace(self, ref=ref)

    def with_market(self, market: Market) -> SeverityModel:
        """The same model, of the market its registered version names."""
        return replace(self, market=market)

    def predict(self, features: pd.DataFrame | np.ndarray, threads: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Expected cost and upper quantile for inputs built by `spec.frame` or `spec.matrix`; `threads` 0: all."""
        expected = np.asarray(self.expected.predict(features, num_threads=threads)) * self.large_loss_loading
        return expected, np.maximum(np.asarray(self.upper.predict(features, num_threads=threads)), 0.0)

    def estimate(self, case: ClaimCase) -> SeverityEstimate:
        """The severity section of one case."""
        return self.estimate_many([case])[0]

    def estimate_many(self, cases: Sequence[ClaimCase]) -> list[SeverityEstimate]:
        """The severity sections of many cases, estimated in one batch; claims of another line or market (country,
        currency) get a note and no figures."""
        line = self.market.line_of_business
        estimates: list[SeverityEstimate | None] = [
            no_model_for_line(case.fnol, self.quantile)
            if case.fnol.line_of_business is not line
            else outside_market(self.ref, self.market, case.fnol, self.quantile)
            for case in cases
        ]
        ours = [i for i, estimate in enumerate(estimates) if estimate is None]
        for i, estimate in zip(ours, self.estimate_rows([severity_features(cases[i].fnol) for i in ours]), strict=True):
            estimates[i] = estimate
        return [estimate for estimate in estimates if estimate is not None]

    def estimate_rows(self, rows: Sequence[FeatureRow]) -> list[SeverityEstimate]:
        """The severity sections for feature rows (as `severity_features` makes them) of claims of its market.

        Each names the model's market, so whoever asked can check it against the claim (models.severity.estimates).
        """
        if not rows:
            return []
        expected, upper = self.predict(self.spec.matrix(rows), threads=SCORING_THREADS)
        return [
            SeverityEstimate(
                expected_cost=round(float(cost), 2),
                upper_quantile=round(float(high), 2),
                quantile=self.quantile,
                currency=self.market.currency,
                model=self.ref,
                market=self.market,
            )
            for cost, high in zip(expected, upper, strict=True)
        ]

    def predict_features(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Expected cost and upper quantile for a frame of raw feature values, e.g. from MLflow."""
        expected, upper = self.predict(self.spec.matrix(self.spec.rows_from_raw(raw)))
        return pd.DataFrame({"expected_cost": expected, "upper_quantile": upper})
