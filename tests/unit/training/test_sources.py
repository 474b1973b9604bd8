"""Training files are checked before training: clear errors for files no model can learn from."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from claimgen.datasets import FRAUD_COLUMNS, SEVERITY_COLUMNS, fraud_oracle_frame, fremtpl2_sev_frame
from training.fraud import train_fraud
from training.sources import FRAUD, SEVERITY, DataSetError, load_training_set


def write(datasets: Path, relative: Path, frame: pd.DataFrame | None, raw: bytes | None = None) -> None:
    path = datasets / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    content = raw if raw is not None else frame.to_csv(index=False).encode()
    path.write_bytes(gzip.compress(content) if path.suffix == ".gz" else content)


def test_a_good_file_is_read_with_its_hash(tmp_path: Path) -> None:
    write(tmp_path, FRAUD.file, fraud_oracle_frame(200, seed=1))
    data = load_training_set(FRAUD, tmp_path)
    assert (data.source, len(data.frame), len(data.sha256)) == ("file", 200, 64)


def test_without_the_file_the_generator_stands_in_and_says_so(tmp_path: Path) -> None:
    fraud, severity = load_training_set(FRAUD, tmp_path), load_training_set(SEVERITY, tmp_path)
    assert fraud.source == severity.source == "synthetic"
    assert tuple(fraud.frame.columns) == FRAUD_COLUMNS and tuple(severity.frame.columns) == SEVERITY_COLUMNS
    assert "no " in fraud.location and load_training_set(FRAUD, tmp_path).sha256 == fraud.sha256  # seeded


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: f.drop(columns=["BasePolicy", "Fault"]), "missing column.*Fault, BasePolicy"),
        (lambda f: f.head(0), "no rows"),
        (lambda f: f.assign(FraudFound_P=0), "single class"),
        (lambda f: f.assign(FraudFound_P=2), "must be 0 or 1"),
        (lambda f: f.assign(Make=None), "missing values in column.*Make"),
    ],
)
def test_files_no_model_can_learn_from_are_refused(tmp_path: Path, damage: object, message: str) -> None:
    write(tmp_path, FRAUD.file, damage(fraud_oracle_frame(200, seed=1)))  # type: ignore[operator]
    with pytest.raises(DataSetError, match=message):
        load_training_set(FRAUD, tmp_path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, FRAUD.file, None, raw=b"")
    with pytest.raises(DataSetError, match="cannot read it as CSV"):
        load_training_set(FRAUD, tmp_path)


def test_amounts_must_be_positive(tmp_path: Path) -> None:
    write(tmp_path, SEVERITY.file, fremtpl2_sev_frame(200, seed=1).assign(ClaimAmount=lambda f: f.ClaimAmount - 5000))
    with pytest.raises(DataSetError, match="positive amount"):
        load_training_set(SEVERITY, tmp_path)


def test_a_value_the_mapping_does_not_know_names_its_line(tmp_path: Path) -> None:
    frame = fraud_oracle_frame(200, seed=1)
    frame.loc[6, "BasePolicy"] = "Comprehensive"
    write(tmp_path, FRAUD.file, frame)
    with pytest.raises(DataSetError, match="line 8 does not map onto an FNOL.*Comprehensive"):
        train_fraud(load_training_set(FRAUD, tmp_path), rounds=5, folds=2)


def test_a_peril_file_gets_its_label_and_bad_ones_are_refused(tmp_path: Path) -> None:
    from claimgen.datasets import peril_descriptions_frame
    from training.sources import PERIL, load_file

    frame = peril_descriptions_frame(50, seed=1)
    write(tmp_path, PERIL.file, frame)
    assert load_file(PERIL, tmp_path / PERIL.file).frame["peril"].nunique() > 1
    frame.loc[0, "Fire"] = 1 - frame.loc[0, "Fire"]
    write(tmp_path, PERIL.file, frame)
    with pytest.raises(DataSetError, match="without exactly one peril"):
        load_file(PERIL, tmp_path / PERIL.file)
    with pytest.raises(DataSetError, match="no such file"):
        load_file(PERIL, tmp_path / "nowhere.csv")
