import json
from pathlib import Path

import pytest
from splink import DuckDBAPI
from splink.internals.realtime import compare_records

from services.links.matching import MODELS, MatchModel, model

PAIRS = [
    (
        {"name": "maria hamford", "dob": "1970-01-02", "postcode": "62701"},
        {"name": "maria hamord", "dob": "1970-01-02", "postcode": "62701"},
    ),
    (
        {"name": "maria hamford", "dob": "1970-01-02", "postcode": "62701"},
        {"name": "james hamford", "dob": "1981-05-02", "postcode": "62701"},
    ),
    (
        {"name": "maria hamford", "dob": None, "postcode": "62701"},
        {"name": "maria hamford", "dob": "1971-01-02", "postcode": None},
    ),
]


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_the_stage_scores_a_pair_as_splink_does(left: dict[str, str | None], right: dict[str, str | None]) -> None:
    splink = compare_records(
        {**left, "unique_id": 1}, {**right, "unique_id": 2}, str(MODELS / "person.json"), DuckDBAPI()
    )
    expected = float(splink.as_pandas_dataframe()["match_probability"][0])
    assert model("person").probability(left, right) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_a_spelling_variant_with_the_same_birth_date_is_the_same_person() -> None:
    same, family = PAIRS[0], PAIRS[1]
    assert model("person").probability(*same) > 0.99
    assert model("person").probability(*family) < 0.01


def test_a_model_level_it_cannot_evaluate_is_refused(tmp_path: Path) -> None:
    settings = json.loads((MODELS / "person.json").read_text())
    settings["comparisons"][0]["comparison_levels"][2]["sql_condition"] = 'levenshtein("name_l", "name_r") <= 1'
    path = tmp_path / "person.json"
    path.write_text(json.dumps(settings))
    with pytest.raises(ValueError, match="levenshtein"):
        MatchModel.from_splink(path)
