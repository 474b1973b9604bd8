"""The figures: straight-through share, Gini, and the benchmark line."""

from __future__ import annotations

import numpy as np
import pytest

from training.metrics import benchmark_line, fraud_metrics, gini, line_values, straight_through_share


def test_straight_through_share_lets_at_most_the_allowed_frauds_pass() -> None:
    labels = np.array([0] * 60 + [1] * 40)
    probability = np.concatenate([np.linspace(0, 0.5, 60), np.linspace(0.02, 1, 40)])
    share = straight_through_share(probability, labels, 0.03)  # 3 % of 40 frauds: 1 may pass
    threshold = np.sort(probability[labels == 1])[1]
    assert share == np.mean(probability < threshold)
    assert ((probability < threshold) & (labels == 1)).sum() <= 1


def test_gini_is_one_for_a_perfect_ranking_and_near_zero_for_noise() -> None:
    amounts = np.random.default_rng(1).gamma(2, 1000, 5_000)
    assert gini(amounts, amounts) == pytest.approx(1.0)
    assert abs(gini(amounts, np.random.default_rng(2).random(5_000))) < 0.05


def test_the_benchmark_line_has_the_model_keys_in_order() -> None:
    labels = np.array([0, 0, 0, 1] * 50)
    metrics = fraud_metrics(labels, np.where(labels == 1, 0.8, 0.1))
    line = benchmark_line(line_values("fraud", metrics) | {"severity_mae": 2034.4})
    assert line == (
        "models: fraud_auc=1.0000 fraud_pr_auc=1.0000 fraud_brier=0.0175 fraud_recall_at_10pct=0.4000 "
        "stp_share_at_3pct_leak=0.7500 severity_mae=2034"
    )
