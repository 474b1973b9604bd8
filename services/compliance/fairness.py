"""Outcome rates across claimant groups (age band, sex), and where they differ enough to flag.

For each outcome the most favoured group is the reference (highest rate of a favourable outcome, lowest
of an adverse one). A group's disparity ratio is its favourable rate over the reference's (for adverse
outcomes the reference's rate over the group's), so 1 is parity and lower is worse. A group is flagged
under the four-fifths rule (ratio below 0.8) when it has enough claims and Fisher's exact test against
the reference says the difference is unlikely to be chance (p < 0.05).
"""

from __future__ import annotations

from dataclasses import dataclass

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
    columns = ["attribute", "outcome", "group", "claims", "count", "rate", "reference", "ratio", "p_value", "flagged"]
    found = [t for t in tables if not t.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)


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
    table["reference"], table["ratio"], table["p_value"], table["flagged"] = None, float("nan"), float("nan"), False
    if len(judged) < 2:
        return table
    reference = judged.loc[judged["rate"].idxmax() if outcome.favourable else judged["rate"].idxmin()]
    for i, row in judged.iterrows():
        ratio = _ratio(row["rate"], reference["rate"], outcome.favourable)
        p_value = fisher_exact([[row["count"], row["claims"] - row["count"]],
                                [reference["count"], reference["claims"] - reference["count"]]])[1]
        table.loc[i, ["reference", "ratio", "p_value"]] = [reference["group"], ratio, float(p_value)]
        table.loc[i, "flagged"] = bool(ratio < FOUR_FIFTHS and p_value < SIGNIFICANCE)
    return table


def _ratio(rate: float, reference: float, favourable: bool) -> float:
    if favourable:
        return rate / reference if reference > 0 else 1.0
    return reference / rate if rate > 0 else 1.0
