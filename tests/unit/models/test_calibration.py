"""Calibrators map raw log-odds onto probabilities that match observed rates."""

from __future__ import annotations

import numpy as np

from models.calibration import PROBABILITY_FLOOR, fit_isotonic, fit_platt


def simulated(n: int = 20_000, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Raw scores twice as confident as the truth: the real log-odds are raw / 2 - 1."""
    rng = np.random.default_rng(seed)
    raw = rng.normal(0, 3, n)
    labels = (rng.random(n) < 1 / (1 + np.exp(-(raw / 2 - 1)))).astype(int)
    return raw, labels


def test_platt_recovers_the_true_slope_and_intercept() -> None:
    calibrator = fit_platt(*simulated())
    assert abs(calibrator.slope - 0.5) < 0.05 and abs(calibrator.intercept + 1) < 0.1


def test_isotonic_is_monotone_and_never_certain() -> None:
    raw, labels = simulated()
    probabilities = fit_isotonic(raw, labels)(np.linspace(-20, 20, 400))
    assert np.all(np.diff(probabilities) >= 0)
    assert probabilities.min() >= PROBABILITY_FLOOR and probabilities.max() <= 1 - PROBABILITY_FLOOR


def test_calibrated_probabilities_match_observed_rates_by_band() -> None:
    raw, labels = simulated()
    for fit in (fit_platt, fit_isotonic):
        probabilities = fit(raw, labels)(raw)
        for band in np.array_split(np.argsort(probabilities), 5):
            assert abs(probabilities[band].mean() - labels[band].mean()) < 0.03
