"""The held-back split: seeded, stratified, whole policies on one side."""

from __future__ import annotations

from claimgen.datasets import fraud_oracle_frame, fremtpl2_sev_frame
from training.evaluation import hold_out
from training.sources import TrainingSet


def test_fraud_hold_out_is_stratified_and_reproducible() -> None:
    data = TrainingSet("t", fraud_oracle_frame(2_000, seed=1), "synthetic", "0" * 64, "test")
    develop, held = hold_out("fraud", data, 0.2, seed=5)
    again = hold_out("fraud", data, 0.2, seed=5)[1]
    assert (len(develop.frame), len(held.frame)) == (1_600, 400)
    assert held.frame.equals(again.frame)
    assert abs(held.frame["FraudFound_P"].mean() - data.frame["FraudFound_P"].mean()) < 0.005
    assert not set(held.frame["PolicyNumber"]) & set(develop.frame["PolicyNumber"])


def test_severity_hold_out_keeps_policies_whole() -> None:
    data = TrainingSet("t", fremtpl2_sev_frame(2_000, seed=1), "synthetic", "0" * 64, "test")
    develop, held = hold_out("severity", data, 0.2, seed=5)
    assert not set(held.frame["IDpol"]) & set(develop.frame["IDpol"])
    assert 0.15 < len(held.frame) / len(data.frame) < 0.25
