"""Severity training: capped expected cost with a loading, and an upper quantile that covers what it says."""

from __future__ import annotations

from claimgen.datasets import fremtpl2_sev_frame
from training.severity import train_severity
from training.sources import TrainingSet


def test_training_reports_coverage_and_keeps_the_book_mean() -> None:
    data = TrainingSet("synthetic", fremtpl2_sev_frame(6_000, seed=2), "synthetic", "0" * 64, "test")
    trained = train_severity(data, rounds=60, folds=3)
    metrics = trained.metrics
    assert 0.85 < metrics["cv_q90_coverage"] < 0.95
    assert metrics["large_loss_loading"] > 1  # the capped-off tail comes back as a loading
    assert 0.8 < metrics["cv_mean_expected_over_mean_amount"] < 1.2
    assert metrics["cv_mae"] < metrics["cv_mae_constant_mean"]
    predicted = trained.model.predict_features(trained.input_example)
    assert (predicted["expected_cost"] > 0).all() and (predicted["upper_quantile"] > 0).all()
