"""Outcome rates across claimant groups (age band, sex), and where they differ enough to flag.

For each outcome the most favoured group is the reference (highest rate of a favourable outcome, lowest
of an adverse one). A group's disparity ratio is its favourable rate over the reference's (for adverse
outcomes the reference's rate over the group's), so 1 is parity and lower is worse. A group is flagged
under the four-fifths rule (ratio below 0.8) when it has enough claims and Fisher's exact test against
the reference says the difference is unlikely to be chance: p < 0.05 after Holm's correction over every
comparison in the report (two attributes, four outcomes and several groups make dozens of tests, so raw
p-values would flag a chance difference in most reports; the demo's 300 claims did exactly that).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact

from services.compliance.figures import INVESTIGATIONS, STRAIGHT_THROUGH

FOUR_FIFTHS = 0.8
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Outcome:
    name: str
    favourable: bool
    description: str


OUTCOMES = (
    Outcome("straight_through", True, "settled straight through, of claims routed"),
    Outcome("referred", False, "sent to an adjuster's desk, of claims routed"),
    Outcome("fraud_flag", False, "sent to special investigations, of claims routed"),
    Outcome("approved", True, "approved by the adjuster, of claims an adjuster decided"),
)
ATTRIBUTES = ("age_band", "sex")


def outcome_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's claims with one boolean column per outcome (approved: NA where no adjuster decided)."""
    flags = frame[list(ATTRIBUTES)].copy()
    flags["straight_through"] = frame["route"] == STRAIGHT_THROUGH
    flags["referred"] = frame["route"] != STRAIGHT_THROUGH
    flags["fraud_flag"] = frame["desk"] == INVESTIGATIONS
    flags["approved"] = (frame["human_decision"] == "approve").where(frame["human_decision"].notna()).astype("boolean")
    return flags


def group_rates(frame: pd.DataFrame, min_claims: int = 30) -> pd.DataFrame:
    """Per attribute, outcome and group: claims, rate, disparity ratio, p-value and the four-fifths flag."""
    flags = outcome_flags(frame)
    tables = [_one(flags, attribute, outcome, min_claims) for attribute in ATTRIBUTES for outcome in OUTCOMES]
    columns = [
        "attribute",
        "outcome",
        "group",
        "claims",
        "count",
        "rate",
        "reference",
        "ratio",
        "p_value",
        "p_holm",
        "flagged",
    ]
    found = [t for t in tables if not t.empty]
    if not found:
        return pd.DataFrame(columns=columns)
    rates = pd.concat(found, ignore_index=True)
    tested = rates["p_value"].notna() & (rates["group"] != rates["reference"])
    rates["p_holm"] = float("nan")
    rates.loc[tested, "p_holm"] = holm(rates.loc[tested, "p_value"].to_numpy(dtype=float))
    rates["flagged"] = tested & (rates["ratio"] < FOUR_FIFTHS) & (rates["p_holm"] < SIGNIFICANCE)
    return rates[columns]


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values: the family-wise error stays under the level for any number of tests."""
    order = np.argsort(p_values)
    scaled = np.minimum(1.0, p_values[order] * (len(p_values) - np.arange(len(p_values))))
    adjusted = np.empty_like(p_values)
    adjusted[order] = np.maximum.accumulate(scaled)
    return adjusted


def _one(flags: pd.DataFrame, attribute: str, outcome: Outcome, min_claims: int) -> pd.DataFrame:
    seen = flags[flags[outcome.name].notna()]
    table = seen.groupby(attribute)[outcome.name].agg(claims="size", count="sum").reset_index()
    table = table.rename(columns={attribute: "group"})
    if table.empty:
        return table
    table["count"] = table["count"].astype(int)
    table["rate"] = table["count"] / table["claims"]
    judged = table[(table["claims"] >= min_claims) & (table["group"] != "unknown")]
    table.insert(0, "outcome", outcome.name)
    table.insert(0, "attribute", attribute)
    table["reference"], table["ratio"], table["p_value"] = None, float("nan"), float("nan")
    if len(judged) < 2:
        return table
    reference = judged.iloc[judged["rate"].argmax() if outcome.favourable else judged["rate"].argmin()]
    for i, row in judged.iterrows():
        ratio = _ratio(row["rate"], reference["rate"], outcome.favourable)
        p_value = fisher_exact(
            np.array(
                [
                    [row["count"], row["claims"] - row["count"]],
                    [reference["count"], reference["claims"] - reference["count"]],
                ]
            )
        )[1]
        table.loc[i, ["reference", "ratio", "p_value"]] = [reference["group"], ratio, float(p_value)]
    return table


def _ratio(rate: float, reference: float, favourable: bool) -> float:
    if favourable:
        return rate / reference if reference > 0 else 1.0
    return reference / rate if rate > 0 else 1.0
