"""PSI: about 0 for the same distribution, large for a shifted one; reference histograms survive JSON."""

from __future__ import annotations

import numpy as np

from models.drift import DriftReference, histogram, psi, reading
from models.features import FeatureSpec
from models.groups import age_band


def test_psi_is_near_zero_for_the_same_distribution_and_large_for_a_shifted_one() -> None:
    rng = np.random.default_rng(1)
    reference = histogram("age", "numeric", list(rng.normal(40, 10, 20_000)))
    assert len(reference.shares) == 11 and abs(sum(reference.shares) - 1) < 1e-9  # 10 deciles and missing
    same = psi(reference, list(rng.normal(40, 10, 5_000)))
    shifted = psi(reference, list(rng.normal(50, 10, 5_000)))
    assert same < 0.01 and reading(same) == "stable"
    assert shifted > 0.25 and reading(shifted) == "major shift"


def test_categories_count_unseen_labels_and_missing_values_in_their_own_bins() -> None:
    reference = histogram("fault", "category", ["a"] * 50 + ["b"] * 50, labels=("a", "b"))
    assert reference.shares == (0.5, 0.5, 0.0, 0.0)
    assert list(reference.counts(["a", "c", None, "b", "b"])) == [1, 2, 1, 1]
    assert psi(reference, ["a"] * 50 + ["b"] * 50) == 0.0
    assert psi(reference, ["c"] * 100) > 1  # all unseen: a major shift


def test_a_reference_learnt_from_rows_round_trips_and_measures_drift_per_feature() -> None:
    spec = FeatureSpec.learn(
        [{"age": 1.0, "fault": "a"}, {"age": 2.0, "fault": "b"}], numeric=["age"], categorical=["fault"]
    )
    rng = np.random.default_rng(2)
    rows = [
        {"age": float(a), "fault": f}
        for a, f in zip(rng.normal(40, 10, 4000), rng.choice(["a", "b"], 4000), strict=True)
    ]
    reference = DriftReference.from_json(DriftReference.learn(spec, rows, rng.uniform(0, 1, 4000)).to_json())
    assert reference.rows == 4000 and [h.name for h in reference.features] == ["age", "fault"]
    live = [{"age": r["age"] + 15, "fault": r["fault"]} for r in rows[:1000]]
    found = reference.drift(live, rng.uniform(0, 1, 1000))
    assert found["age"] > 0.25 and found["fault"] < 0.01 and found["score"] < 0.05


def test_age_bands() -> None:
    assert [age_band(a) for a in (None, 18, 25, 49.9, 64, 90)] == [
        "unknown",
        "under 25",
        "25-34",
        "35-49",
        "50-64",
        "65 and over",
    ]
