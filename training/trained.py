"""What every trainer shares: data set rows to feature rows through the FNOL, and the trained result."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import lightgbm as lgb
import pandas as pd

from models.features import FeatureRow, FeatureSpec
from services.core.events import FNOL
from training.sources import DataSetError, TrainingSet

StepStarted = Callable[[str], None]  # told the name of each training step as it starts


def quietly(step: str) -> None:
    """A StepStarted that shows nothing."""


@dataclass
class TrainedModel:
    """A fitted model with what the registry should record about it."""

    model: Any
    params: dict[str, Any]
    metrics: dict[str, float]
    input_example: pd.DataFrame
    artifacts: dict[str, str] = field(default_factory=dict)


def feature_rows(
    data: TrainingSet, to_fnol: Callable[[Any], FNOL], to_features: Callable[[FNOL], FeatureRow]
) -> list[FeatureRow]:
    """Each row as the FNOL it stands for, then as the features scoring would compute from that FNOL."""
    rows = []
    for number, row in enumerate(data.frame.to_dict("records"), start=2):  # line 1 of the file is the header
        try:
            rows.append(to_features(to_fnol(row)))
        except (KeyError, ValueError) as error:
            raise DataSetError(f"{data.location}: line {number} does not map onto an FNOL: {error}") from error
    return rows


def spec_json(spec: FeatureSpec) -> str:
    """The feature spec as a JSON artifact."""
    return json.dumps([asdict(feature) for feature in spec.features], indent=2)


def importance_csv(booster: lgb.Booster) -> str:
    """Total split gain per feature, largest first, as a CSV artifact."""
    gains = pd.Series(booster.feature_importance("gain"), index=booster.feature_name(), name="gain")
    return gains.sort_values(ascending=False).round(2).to_csv(index_label="feature")
