"""The baselines a model must beat, on the same features: logistic regression and red-flag rules for fraud,
a Gamma GLM for severity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import GammaRegressor, LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from models.features import FeatureRow, FeatureSpec

# The classic red flags, as the fraud features name them: each one present adds 1 to the score.
RED_FLAGS: dict[str, set[float | str]] = {
    "days_policy_accident": {"none", "1 to 7", "8 to 15", "15 to 30"},  # policy incepted shortly before the loss
    "police_report_filed": {0.0},
    "witness_present": {0.0},
    "address_change": {"under 6 months", "1 year"},  # address changed near the claim
    "supplements": {"3 to 5", "more than 5"},  # many supplements
    "past_claims": {"more than 4"},
}


def red_flag_score(rows: list[FeatureRow]) -> np.ndarray:
    """The number of red flags each claim raises (0 to len(RED_FLAGS)): the rules-only baseline's score."""
    return np.array([sum(row.get(name) in values for name, values in RED_FLAGS.items()) for row in rows], dtype=float)


def linear_frame(spec: FeatureSpec, rows: list[FeatureRow]) -> pd.DataFrame:
    """Features for a linear model: numbers and bin positions as floats, categories as text ('missing' if absent)."""
    frame = spec.frame(rows)
    for feature in spec.features:
        if feature.kind == "category":
            frame[feature.name] = frame[feature.name].astype(object).where(frame[feature.name].notna(), "missing")
            frame[feature.name] = frame[feature.name].astype(str)
    return frame


def _encoder(spec: FeatureSpec) -> ColumnTransformer:
    numbers = [f.name for f in spec.features if f.kind != "category"]
    categories = [f.name for f in spec.features if f.kind == "category"]
    return ColumnTransformer(
        [
            ("numbers", make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), numbers),
            ("categories", OneHotEncoder(handle_unknown="ignore", min_frequency=20), categories),
        ]
    )


def logistic_baseline(spec: FeatureSpec) -> Pipeline:
    """Logistic regression on one-hot categories and scaled numbers (L2, C chosen for stability, not tuned)."""
    return make_pipeline(_encoder(spec), LogisticRegression(C=0.3, max_iter=2000))


def gamma_glm_baseline(spec: FeatureSpec) -> Pipeline:
    """A Gamma GLM with log link on the same features, lightly penalised, as actuaries fit severity."""
    return make_pipeline(_encoder(spec), GammaRegressor(alpha=1e-3, max_iter=1000))
