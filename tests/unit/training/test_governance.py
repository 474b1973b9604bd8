"""Governance facts measured at training: the drift reference and bias tests on held-back claims."""

from __future__ import annotations

import numpy as np
import pytest

from claimgen.datasets import fraud_oracle_frame
from models.drift import ARTIFACT, DriftReference
from models.fraud.features import fraud_features
from models.fraud.model import FraudModel
from models.mapping import fraud_row_to_fnol
from training.fraud import train_fraud
from training.governance import fraud_bias, governance_facts, severity_bias
from training.sources import TrainingSet


@pytest.fixture(scope="module")
def small_fraud_model() -> FraudModel:
    data = TrainingSet("synthetic fraud", fraud_oracle_frame(4_000, seed=5), "synthetic", "0" * 64, "test")
    return train_fraud(data, rounds=40, folds=2).model


def test_a_fraud_model_gets_a_reference_its_own_population_matches(small_fraud_model: FraudModel) -> None:
    held = TrainingSet("held", fraud_oracle_frame(1_500, seed=9), "synthetic", "0" * 64, "test")
    artifacts, metrics = governance_facts("fraud", small_fraud_model, held)
    reference = DriftReference.from_json(artifacts[ARTIFACT])
    assert reference.rows == 1_500
    assert {h.name for h in reference.features} == set(small_fraud_model.spec.names)
    fresh = [fraud_features(fraud_row_to_fnol(r)) for r in fraud_oracle_frame(1_500, seed=10).to_dict("records")]
    scores = small_fraud_model.probabilities(small_fraud_model.spec.matrix(fresh))
    drift = reference.drift(fresh, list(scores))
    assert max(drift.values()) < 0.1, drift  # another sample of the same population: stable
    older = [{**row, "claimant_age": (row["claimant_age"] or 40) + 25} for row in fresh]
    assert reference.drift(older, list(scores))["claimant_age"] > 0.25
    assert metrics["bias_sex_male_n"] > 0 and 0 <= metrics["bias_sex_referral_ratio"] <= 1
    assert 0.3 < metrics["bias_sex_male_auc"] <= 1


def test_a_constructed_referral_disparity_shows_in_the_ratio() -> None:
    groups = [{"age_band": "25-34", "sex": "female"}] * 100 + [{"age_band": "25-34", "sex": "male"}] * 100
    labels = np.array([0, 1] * 100)
    scores = np.r_[np.where(np.arange(100) < 40, 0.3, 0.05), np.where(np.arange(100) < 20, 0.3, 0.05)]
    metrics = fraud_bias(groups, labels, scores)
    assert metrics["bias_sex_female_referral_rate"] == 0.4 and metrics["bias_sex_male_referral_rate"] == 0.2
    assert metrics["bias_sex_referral_ratio"] == 0.5  # below four fifths
    assert "bias_age_band_referral_ratio" not in metrics  # one age band: nothing to compare


def test_severity_bias_is_the_predicted_to_actual_cost_ratio_per_group() -> None:
    groups = [{"age_band": "under 25", "sex": "unknown"}] * 40 + [{"age_band": "65 and over", "sex": "unknown"}] * 40
    amounts = np.full(80, 1000.0)
    expected = np.r_[np.full(40, 1200.0), np.full(40, 900.0)]
    metrics = severity_bias(groups, amounts, expected)
    assert metrics["bias_age_band_under_25_cost_ratio"] == 1.2
    assert metrics["bias_age_band_65_and_over_cost_ratio"] == 0.9
    assert metrics["bias_age_band_cost_ratio_gap"] == 0.3
