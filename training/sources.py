"""Training data: read a data set file (or fall back to the synthetic generator) and check it before training."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from claimgen.datasets import fraud_oracle_frame, fremtpl2_sev_frame, peril_descriptions_frame
from models.mapping import (
    FRAUD_COLUMNS,
    FRAUD_LABEL,
    PERIL_COLUMNS,
    PERIL_TEXT,
    PERILS,
    SEVERITY_COLUMNS,
    SEVERITY_LABEL,
)
from models.markets import FRAUD_ORACLE, FREMTPL2, LGPIF
from services.core.events import Market

FRAUD_FILE = Path("vehicle_claim_fraud_oracle/train.csv.gz")
SEVERITY_FILE = Path("fremtpl2/sev_train.csv.gz")
PERIL_FILE = Path("property_claim_descriptions_lgpif/peril.training.csv")
PERIL_LABEL = "peril"  # added on loading: the name of the row's one-hot peril column
SYNTHETIC_SEED = 20261124


class DataSetError(ValueError):
    """A training file that cannot be trained on, and why."""


@dataclass(frozen=True)
class TrainingSet:
    """Rows to train on, where they came from, and whose claims they are (None: not said)."""

    name: str
    frame: pd.DataFrame
    source: Literal["file", "synthetic"]
    sha256: str
    location: str
    market: Market | None = None


@dataclass(frozen=True)
class DataSetKind:
    name: str
    file: Path
    columns: tuple[str, ...]
    label: str
    label_kind: Literal["binary", "amount", "one_hot"]
    synthesise: Callable[[int, int], pd.DataFrame]
    synthetic_rows: int
    market: Market  # whose claims the data set holds (the synthetic stand-in is shaped like them)


FRAUD = DataSetKind(
    "vehicle_claim_fraud_oracle",
    FRAUD_FILE,
    FRAUD_COLUMNS,
    FRAUD_LABEL,
    "binary",
    fraud_oracle_frame,
    12_000,
    FRAUD_ORACLE,
)
SEVERITY = DataSetKind(
    "fremtpl2_sev", SEVERITY_FILE, SEVERITY_COLUMNS, SEVERITY_LABEL, "amount", fremtpl2_sev_frame, 20_000, FREMTPL2
)
PERIL = DataSetKind(
    "lgpif_peril_descriptions",
    PERIL_FILE,
    PERIL_COLUMNS,
    PERIL_LABEL,
    "one_hot",
    peril_descriptions_frame,
    5_000,
    LGPIF,
)
KINDS = {"fraud": FRAUD, "severity": SEVERITY, "peril": PERIL}


def load_training_set(kind: DataSetKind, datasets_dir: Path) -> TrainingSet:
    """The data set from `datasets_dir`, checked; the seeded synthetic stand-in if the file is not there."""
    path = datasets_dir / kind.file
    if path.exists():
        return load_file(kind, path)
    content = kind.synthesise(kind.synthetic_rows, SYNTHETIC_SEED).to_csv(index=False).encode()
    frame = pd.read_csv(io.BytesIO(content))  # the same parser as the real file: same dtypes
    location = f"claimgen.datasets seed {SYNTHETIC_SEED} (no {path})"
    return TrainingSet(
        kind.name,
        validate(frame, kind, location),
        "synthetic",
        hashlib.sha256(content).hexdigest(),
        location,
        kind.market,
    )


def load_file(kind: DataSetKind, path: Path, market: Market | None = None) -> TrainingSet:
    """A labelled file laid out like the data set `kind`, of `market` (default the data set's), checked
    (DataSetError if it cannot be used)."""
    if not path.is_file():
        raise DataSetError(f"{path}: no such file")
    content = path.read_bytes()
    frame = validate(read_csv_bytes(content, path), kind, str(path.resolve()))
    return TrainingSet(
        kind.name, frame, "file", hashlib.sha256(content).hexdigest(), str(path.resolve()), market or kind.market
    )


def read_csv_bytes(content: bytes, path: Path) -> pd.DataFrame:
    """A CSV (gzipped if the name says so), with a clear error for an empty or unreadable file."""
    try:
        return pd.read_csv(io.BytesIO(content), compression="gzip" if path.suffix == ".gz" else None)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, OSError, UnicodeDecodeError) as error:
        raise DataSetError(f"{path}: cannot read it as CSV ({error})") from error


def validate(frame: pd.DataFrame, kind: DataSetKind, location: str) -> pd.DataFrame:
    """Refuse a frame the models cannot learn from: missing columns, no rows, a useless label.

    Returns the frame, with the peril label column added for a one-hot data set.
    """
    label = () if kind.label_kind == "one_hot" else (kind.label,)
    missing = [c for c in (*kind.columns, *label) if c not in frame.columns]
    if missing:
        raise DataSetError(f"{location}: missing column(s) {', '.join(missing)} (a {kind.name} file needs them)")
    if frame.empty:
        raise DataSetError(f"{location}: no rows")
    empty = [c for c in kind.columns if frame[c].isna().any()]
    if empty:
        raise DataSetError(f"{location}: missing values in column(s) {', '.join(empty)}")
    if kind.label_kind == "one_hot":
        return _with_peril_label(frame, location)
    _validate_label(frame[kind.label], kind, location)
    return frame


def _with_peril_label(frame: pd.DataFrame, location: str) -> pd.DataFrame:
    one_hot = frame[list(PERILS)]
    if not all(pd.api.types.is_numeric_dtype(one_hot[c]) for c in PERILS) or not one_hot.isin([0, 1]).all().all():
        raise DataSetError(f"{location}: the peril columns {', '.join(PERILS)} must hold 0 or 1")
    if not (one_hot.sum(axis=1) == 1).all():
        raise DataSetError(f"{location}: {int((one_hot.sum(axis=1) != 1).sum())} row(s) without exactly one peril")
    if not pd.api.types.is_string_dtype(frame[PERIL_TEXT]) and not frame[PERIL_TEXT].dtype == object:
        raise DataSetError(f"{location}: {PERIL_TEXT} must be text")
    labels = one_hot.to_numpy().argmax(axis=1)
    if len(set(labels)) < 2:
        raise DataSetError(f"{location}: a single peril: nothing to learn")
    return frame.assign(**{PERIL_LABEL: [list(PERILS.values())[i] for i in labels]})


def _validate_label(label: pd.Series, kind: DataSetKind, location: str) -> None:
    if label.isna().any():
        raise DataSetError(f"{location}: {int(label.isna().sum())} row(s) without {kind.label}")
    if kind.label_kind == "amount":
        if not (pd.api.types.is_numeric_dtype(label) and (label > 0).all()):
            raise DataSetError(f"{location}: {kind.label} must be a positive amount on every row")
        return
    if not label.isin([0, 1]).all():
        raise DataSetError(f"{location}: {kind.label} must be 0 or 1")
    if label.nunique() < 2:
        raise DataSetError(f"{location}: {kind.label} has a single class ({label.iloc[0]}): nothing to learn")
