"""The tabled SHAP values are LightGBM's own (`pred_contrib`), whatever the split rules and the inputs."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from claimgen.fnol import generate_claims
from models.fraud.features import fraud_features
from models.fraud.model import TABLED_SHAP_ROWS, FraudModel
from models.fraud.treeshap import TreeShapTables
from services.core.events import ModelRef


def noisy_inputs(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Four numbers and a category code (column 2), with missing values, zeros and, past 7, unseen categories."""
    x = rng.normal(size=(rows, 5))
    x[:, 2] = rng.integers(0, 10, rows)
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:, [0, 1, 3, 4]] = np.where(rng.random((rows, 4)) < 0.1, 0.0, x[:, [0, 1, 3, 4]])
    return x


@pytest.mark.parametrize("zero_as_missing", [False, True])
def test_the_tabled_values_are_lightgbms_own_for_every_split_rule(zero_as_missing: bool) -> None:
    rng = np.random.default_rng(3)
    x = noisy_inputs(rng, 3000)
    x[:, 2] = np.where(x[:, 2] > 7, np.nan, x[:, 2])  # training sees categories 0-7 only
    y = np.nan_to_num(x[:, 0]) + np.isin(x[:, 2], (1, 4)) - np.isnan(x[:, 3]) + rng.normal(size=len(x)) > 0.3
    params = {"objective": "binary", "max_depth": 4, "num_leaves": 15, "min_data_in_leaf": 5, "verbose": -1}
    booster = lgb.train(
        {**params, "zero_as_missing": zero_as_missing}, lgb.Dataset(x, y, categorical_feature=[2]), num_boost_round=40
    )
    scored = noisy_inputs(rng, 500)
    scored[:7, 2] = [-1.0, 8.0, 9.0, np.nan, 0.0, 3.5, 1e9]  # negative, unseen, missing, truncated, huge codes
    tables = TreeShapTables(booster)
    assert tables.usable
    np.testing.assert_allclose(tables(scored), booster.predict(scored, pred_contrib=True)[:, :-1], rtol=0, atol=1e-12)


def test_the_fraud_models_tabled_values_are_its_own(small_fraud_model: FraudModel) -> None:
    fnols = [c.fnol for c in generate_claims(200, seed=9)]  # property claims among them: motor facts missing
    matrix = small_fraud_model.spec.matrix([fraud_features(f) for f in fnols])
    assert np.isnan(matrix).any()
    expected = small_fraud_model.booster.predict(matrix, pred_contrib=True)[:, :-1]
    np.testing.assert_allclose(TreeShapTables(small_fraud_model.booster)(matrix), expected, rtol=0, atol=1e-12)


def test_paths_too_long_to_table_are_left_to_lightgbm() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3000, 10))
    y = (x * rng.normal(size=10)).sum(axis=1) > 0
    deep = lgb.train(
        {"objective": "binary", "num_leaves": 255, "min_data_in_leaf": 2, "verbose": -1}, lgb.Dataset(x, y), 5
    )
    assert not TreeShapTables(deep).usable


def test_rows_shared_among_threads_get_the_same_values(small_fraud_model: FraudModel) -> None:
    matrix = small_fraud_model.spec.matrix([fraud_features(c.fnol) for c in generate_claims(150, seed=10)])
    tables = TreeShapTables(small_fraud_model.booster)
    alone = tables(matrix)
    assert np.array_equal(tables(matrix, threads=3), alone) and tables.helpers is not None  # each row summed alike
    assert np.array_equal(tables(matrix[:40], threads=3), alone[:40])  # too few rows to share: one thread


def test_a_prepared_model_keeps_its_tables_under_another_name(small_fraud_model: FraudModel) -> None:
    model = small_fraud_model.with_ref(ModelRef(name="fraud", version="7", alias="champion"))
    model.prepare()
    renamed = model.with_ref(ModelRef(name="fraud", version="7", alias="challenger"))
    assert renamed._shap_tables is model._shap_tables  # the same trees: not tabled twice
    rows = [fraud_features(c.fnol) for c in generate_claims(2 * TABLED_SHAP_ROWS, seed=12)]
    assert [s.reasons for s in renamed.score_rows(rows)] == [s.reasons for s in small_fraud_model.score_rows(rows)]
