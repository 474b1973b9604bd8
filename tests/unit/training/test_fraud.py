"""Fraud training: cross-validated figures that mean what they say."""

from __future__ import annotations

import numpy as np

from claimgen.datasets import fraud_oracle_frame
from training.fraud import recall_at_review_rate, train_fraud
from training.sources import TrainingSet


def test_recall_at_review_rate_counts_frauds_among_the_top_scores() -> None:
    labels = np.array([1, 0, 0, 1, 0, 0, 0, 0, 0, 1])
    probability = np.array([0.9, 0.8, 0.1, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05])
    assert recall_at_review_rate(probability, probability, labels, 0.3) == 2 / 3
    tied = np.full(10, 0.5)  # ties are broken by the raw score
    assert recall_at_review_rate(tied, probability, labels, 0.1) == 1 / 3


def test_training_reports_cross_validated_figures_and_a_servable_model() -> None:
    data = TrainingSet("synthetic", fraud_oracle_frame(4_000, seed=2), "synthetic", "0" * 64, "test")
    steps: list[str] = []
    trained = train_fraud(data, rounds=40, folds=3, on_step=steps.append)
    metrics = trained.metrics
    assert steps == [f"fraud: cross-validation fold {k}/3" for k in (1, 2, 3)] + ["fraud: final fit"]
    assert 0.6 < metrics["cv_roc_auc"] < 1 and metrics["cv_pr_auc"] > metrics["base_rate"]
    assert metrics["cv_brier"] < metrics["base_rate"] * (1 - metrics["base_rate"])  # beats the constant base rate
    assert trained.params["calibration"] in {"platt", "isotonic"}
    assert set(trained.artifacts) == {"calibration.csv", "feature_spec.json", "feature_importance.csv"}
    assert len(trained.model.predict_features(trained.input_example)) == len(trained.input_example)
