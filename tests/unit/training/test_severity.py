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


def test_the_expected_cost_never_rises_as_the_policy_ages() -> None:
    frame = fremtpl2_sev_frame(3_000, seed=4)
    # Make young policies cheaper here, against the constraint: the model must still not rise with age.
    frame["ClaimAmount"] = frame["ClaimAmount"] * (0.3 + frame["Exposure"])
    trained = train_severity(TrainingSet("synthetic", frame, "synthetic", "0" * 64, "test"), rounds=60, folds=2)
    model = trained.model
    row = dict(model.spec.rows_from_raw(trained.input_example)[0])
    ages = [row | {"policy_years_at_loss": years} for years in (0.0, 0.1, 0.25, 0.4, 0.5, 1.0, 5.0)]
    expected, _ = model.predict(model.spec.matrix(ages))
    assert all(later <= earlier + 1e-9 for earlier, later in zip(expected, expected[1:], strict=False))
    assert trained.params["monotone"] == {"policy_years_at_loss": -1}
