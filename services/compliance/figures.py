"""The report's figures, computed from the audit log's entries and the claims' FNOLs: one row per claim.

Every routed claim in the period is a row: its route and desk, the fraud and severity models that
scored it (name, version, arm) and their outputs, the adjuster's decision and whether it departed
from the recommendation, and the claimant's age band and sex (read from the FNOL, never a model input
for routing). Every table of the report is an aggregate of this frame.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from models.groups import claimant_groups
from services.core.events import ClaimCase

STRAIGHT_THROUGH = "straight_through"
INVESTIGATIONS = "special_investigations"
COLUMNS = (
    "claim_id",
    "decided_at",
    "route",
    "desk",
    "policy_version",
    "fraud_model",
    "fraud_version",
    "fraud_arm",
    "fraud_probability",
    "severity_model",
    "severity_version",
    "severity_arm",
    "expected_cost",
    "human_decision",
    "recommendation",
    "overridden",
    "decided_by",
    "age_band",
    "sex",
)


def claim_frame(entries: Iterable[Mapping[str, Any]], cases: Mapping[str, ClaimCase]) -> pd.DataFrame:
    """One row per claim with a routing decision among `entries` (audit rows), joined with its model scores,
    the human decision, and the claimant's groups from `cases`."""
    claims: dict[str, dict[str, Any]] = {}
    for entry in entries:
        row = claims.setdefault(entry["claim_id"], {"claim_id": entry["claim_id"]})
        _take(row, entry["kind"], entry, json.loads(entry["outputs_json"]))
    for claim_id, row in claims.items():
        case = cases.get(claim_id)
        row |= claimant_groups(case.fnol) if case else {"age_band": "unknown", "sex": "unknown"}
    frame = pd.DataFrame([r for r in claims.values() if "route" in r], columns=list(COLUMNS))
    frame["overridden"] = frame["overridden"].astype("boolean")
    return frame


def _take(row: dict[str, Any], kind: str, entry: Mapping[str, Any], outputs: dict[str, Any]) -> None:
    model = f"{entry['model_name']} v{entry['model_version']}" if entry.get("model_name") else None
    if kind == "routing_decision":
        row |= {
            "decided_at": entry["recorded_at"],
            "route": outputs["route"],
            "desk": outputs.get("desk") or STRAIGHT_THROUGH,
            "policy_version": entry["policy_version"],
        }
    elif kind == "fraud_score":
        row |= {
            "fraud_model": model,
            "fraud_version": entry["model_version"],
            "fraud_arm": entry["model_arm"],
            "fraud_probability": outputs["probability"],
        }
    elif kind == "severity_estimate":
        row |= {
            "severity_model": model,
            "severity_version": entry["model_version"],
            "severity_arm": entry["model_arm"],
            "expected_cost": outputs.get("expected_cost"),
        }
    elif kind == "human_decision":
        row |= {
            "human_decision": outputs["decision"],
            "recommendation": outputs["recommendation"],
            "overridden": outputs["decision"] != outputs["recommendation"],
            "decided_by": entry["actor"],
        }


def decisions_by_desk(frame: pd.DataFrame) -> pd.DataFrame:
    """Claims per route and desk, with their share of all decisions."""
    counts = frame.groupby(["route", "desk"]).size().rename("claims").reset_index()
    counts["share"] = counts["claims"] / max(len(frame), 1)
    return counts.sort_values("claims", ascending=False, ignore_index=True)


def straight_through_by_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Per day (UTC): claims decided and the share settled straight through."""
    days = pd.to_datetime(frame["decided_at"], utc=True).dt.floor("D")
    stp = frame["route"] == STRAIGHT_THROUGH
    return (
        pd.DataFrame({"day": days, "stp": stp})
        .groupby("day")
        .agg(claims=("stp", "size"), straight_through_rate=("stp", "mean"))
        .reset_index()
    )


def override_rates(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Among claims an adjuster decided: decisions and the share that departed from the recommendation, by `by`."""
    decided = frame[frame["human_decision"].notna()]
    table = decided.groupby(decided[by].fillna("none")).agg(
        decisions=("overridden", "size"), overrides=("overridden", "sum")
    )
    table["override_rate"] = table["overrides"] / table["decisions"]
    return table.reset_index()


def score_summary(frame: pd.DataFrame, model: str, score: str) -> pd.DataFrame:
    """Count, mean and quartiles of a model's output per model version (and arm)."""
    scored = frame[frame[model].notna() & frame[score].notna()]
    statistics = ["count", "mean", "25%", "50%", "75%"]
    if scored.empty:  # no version output a value (e.g. no severity model covers the claims' market): an empty table
        return pd.DataFrame(columns=["model", "arm", *statistics])
    grouped = scored.groupby([model, model.replace("_model", "_arm")])[score]
    table = grouped.describe()[statistics].reset_index()
    return table.rename(columns={model: "model", model.replace("_model", "_arm"): "arm"})
