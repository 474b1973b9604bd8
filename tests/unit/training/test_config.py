"""Training configs: read from YAML, checked, relative data paths taken from the file's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.config import ConfigError, load_config


def test_a_config_file_is_read_and_its_data_path_resolved(tmp_path: Path) -> None:
    (tmp_path / "fraud.yaml").write_text("model: fraud\nseed: 3\ndata: data/train.csv.gz\nrounds: 50\n")
    config = load_config(tmp_path / "fraud.yaml", "fraud")
    assert (config.seed, config.rounds, config.folds) == (3, 50, 5)
    assert config.data == (tmp_path / "data" / "train.csv.gz").resolve()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("model: severity\n", "configures model 'severity', not 'fraud'"),
        ("model: fraud\nfolds: 1\n", "folds"),
        ("model: fraud\nlearning_rat: 0.1\n", "learning_rat"),
        ("- a list\n", "expected a mapping"),
        ("model: fraud\nmarket: {line_of_business: motor, country: US, currency: USD}\n", "market of a `data` file"),
        ("model: fraud\ndata: x.csv\nmarket: {line_of_business: motor, country: US, currency: usd}\n", "currency"),
    ],
)
def test_bad_configs_are_refused_with_the_reason(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "bad.yaml", "fraud")
