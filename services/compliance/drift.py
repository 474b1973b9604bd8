"""Drift of each model version's inputs and scores in the period against its training reference (PSI).

The live inputs are recomputed from each claim's FNOL with the model's own feature pipeline, so they
are exactly what the model read; the scores are the ones the audit log recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import pandas as pd

from models.drift import MAJOR, DriftReference, reading
from models.features import FeatureRow
from models.fraud.features import fraud_features
from models.registry import VersionFacts
from models.severity.features import severity_features
from services.core.events import FNOL, ClaimCase

FEATURES: dict[str, Callable[[FNOL], FeatureRow]] = {"fraud": fraud_features, "severity": severity_features}
SCORES = {"fraud": "fraud_probability", "severity": "expected_cost"}
# Calendar inputs: over a period of days against training years they always shift; read them against the season.
CALENDAR = frozenset(
    {
        "loss_month",
        "report_month",
        "loss_day_of_week",
        "report_day_of_week",
        "loss_week_of_month",
        "report_week_of_month",
    }
)


class ModelFacts(Protocol):
    """What the report and the inventory read of a registered model version."""

    def reference(self, name: str, version: str) -> DriftReference | None: ...

    def facts(self, name: str, version: str) -> VersionFacts | None: ...


def drift_table(frame: pd.DataFrame, cases: Mapping[str, ClaimCase], models: ModelFacts) -> pd.DataFrame:
    """PSI of every input and of the score, per model version that scored claims in `frame`."""
    rows = []
    for name, score in SCORES.items():
        scored = frame[frame[f"{name}_version"].notna() & frame[score].notna()]
        for version, part in scored.groupby(f"{name}_version"):
            reference = models.reference(name, str(version))
            if reference is None:
                rows.append(
                    {
                        "model": name,
                        "version": str(version),
                        "input": None,
                        "claims": len(part),
                        "psi": float("nan"),
                        "reading": "no training reference logged",
                    }
                )
                continue
            fnols = [cases[c].fnol for c in part["claim_id"] if c in cases]
            found = reference.drift([FEATURES[name](f) for f in fnols], list(part[score].astype(float)))
            rows += [
                {
                    "model": name,
                    "version": str(version),
                    "input": feature,
                    "claims": len(part),
                    "psi": value,
                    "reading": _reading(feature, value),
                }
                for feature, value in found.items()
            ]
    table = pd.DataFrame(rows, columns=["model", "version", "input", "claims", "psi", "reading"])
    return table.sort_values(["model", "version", "psi"], ascending=[True, True, False], ignore_index=True)


def _reading(feature: str, value: float) -> str:
    return f"{reading(value)} (calendar: read against the season)" if feature in CALENDAR else reading(value)


def shifted(table: pd.DataFrame) -> pd.Series:
    """Rows with a major shift that is not a calendar input's."""
    return (table["psi"] > MAJOR) & ~table["input"].isin(CALENDAR)
