"""Calibrators: map a booster's raw log-odds onto probabilities that match observed fraud rates.

Both are fitted on out-of-fold raw scores (never on scores of the rows a booster was trained
on, which are over-confident) and stored as plain numbers, so a saved model needs no sklearn
object to score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

# A calibrated 0 would say fraud is impossible: 1 in 1,000 is below any referral threshold and
# above what a few thousand claims without fraud in a score band can rule out.
PROBABILITY_FLOOR = 0.001


class Calibrator(Protocol):
    @property
    def method(self) -> str: ...

    def __call__(self, raw_scores: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class PlattCalibrator:
    """A logistic curve on the raw score: smooth, monotone, two parameters."""

    slope: float
    intercept: float
    method: str = "platt"

    def __call__(self, raw_scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope * np.asarray(raw_scores, dtype=float) + self.intercept)))


@dataclass(frozen=True)
class IsotonicCalibrator:
    """A monotone step curve on the raw score, interpolated between the fitted points."""

    thresholds: tuple[float, ...]
    probabilities: tuple[float, ...]
    method: str = "isotonic"

    def __call__(self, raw_scores: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(raw_scores, dtype=np.float64), self.thresholds, self.probabilities)


def fit_platt(raw_scores: np.ndarray, labels: np.ndarray) -> PlattCalibrator:
    """Platt scaling of out-of-fold raw scores."""
    fitted = LogisticRegression(C=1e6).fit(np.asarray(raw_scores).reshape(-1, 1), labels)
    return PlattCalibrator(float(fitted.coef_[0, 0]), float(fitted.intercept_[0]))


def fit_isotonic(raw_scores: np.ndarray, labels: np.ndarray) -> IsotonicCalibrator:
    """Isotonic regression of the labels on out-of-fold raw scores, kept off exact 0 and 1."""
    curve = IsotonicRegression(out_of_bounds="clip", y_min=PROBABILITY_FLOOR, y_max=1 - PROBABILITY_FLOOR)
    fitted = curve.fit(raw_scores, labels)
    return IsotonicCalibrator(tuple(map(float, fitted.X_thresholds_)), tuple(map(float, fitted.y_thresholds_)))


CALIBRATORS: dict[str, Callable[[np.ndarray, np.ndarray], Calibrator]] = {
    "platt": fit_platt,
    "isotonic": fit_isotonic,
}
