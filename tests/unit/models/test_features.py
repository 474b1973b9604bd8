"""Feature specs: fixed category lists, unseen categories and missing values become NaN, never an error."""

from __future__ import annotations

import numpy as np

from models.features import FeatureSpec


def spec() -> FeatureSpec:
    rows = [{"age": 30.0, "cover": "collision"}, {"age": 41.0, "cover": "liability"}, {"age": None, "cover": None}]
    return FeatureSpec.learn(rows, numeric=["age"], categorical=["cover"])


def test_category_lists_are_the_sorted_values_seen_in_training() -> None:
    assert spec().features[1].categories == ("collision", "liability")


def test_unseen_categories_and_missing_values_become_missing() -> None:
    frame = spec().frame([{"age": None, "cover": "all_perils"}, {"cover": "liability"}, {"age": 52, "cover": None}])
    assert frame["age"].isna().tolist() == [True, True, False]
    assert frame["cover"].isna().tolist() == [True, False, True]
    assert list(frame["cover"].cat.categories) == ["collision", "liability"]


def test_category_codes_do_not_depend_on_what_else_is_in_the_batch() -> None:
    alone = spec().frame([{"age": 1.0, "cover": "liability"}])
    together = spec().frame([{"age": 1.0, "cover": "collision"}, {"age": 1.0, "cover": "liability"}])
    assert alone["cover"].cat.codes[0] == together["cover"].cat.codes[1] == 1


def test_raw_frame_round_trips_to_the_model_frame() -> None:
    rows = [{"age": 30.0, "cover": "collision"}, {"age": None, "cover": None}]
    raw = spec().raw_frame(rows)
    assert raw["cover"].tolist() == ["collision", None]
    assert spec().rows_from_raw(raw) == [{"age": 30.0, "cover": "collision"}, {"age": None, "cover": None}]


def test_matrix_holds_the_frame_numbers_with_category_codes() -> None:
    rows = [{"age": 30.0, "cover": "liability"}, {"age": None, "cover": "unseen"}]
    np.testing.assert_array_equal(spec().matrix(rows), [[30.0, 1.0], [np.nan, np.nan]])
