"""Reason codes: the features that pushed a claim's fraud score up most, in words an adjuster uses.

Contributions are LightGBM's own SHAP values (`pred_contrib=True`) on the log-odds scale:
exact for trees, and they add up to the raw score, so a reason's weight is honest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from models.features import FeatureRow, FeatureValue
from services.core.events import ReasonCode

COVERAGE_WORDS = {"liability": "third-party liability only", "collision": "collision", "all_perils": "all perils"}


def _days(event: str, day_of_event: str) -> Callable[[str], str]:
    def message(label: str) -> str:
        if label == "none":
            return f"Policy incepted on or after {day_of_event}"
        return f"Policy incepted {label} days before the {event}"

    return message


def _years(label: str) -> str:
    return label if label.endswith("years") else f"{label} years"


def _count(singular: str, plural: str, none: str) -> Callable[[str], str]:
    def message(label: str) -> str:
        if label == "none":
            return none
        return f"{label} {singular if label == '1' else plural}"

    return message


MESSAGES: dict[str, Callable[[Any], str]] = {
    "days_policy_accident": _days("loss", "the day of the loss"),
    "days_policy_claim": _days("claim was reported", "the day the claim was reported"),
    "vehicle_age": lambda v: "The vehicle is new" if v == "new" else f"The vehicle is {_years(v)} old",
    "vehicle_price": lambda v: f"Vehicle valued at {v}",
    "vehicle_category": lambda v: f"Vehicle category {v}",
    "make": lambda v: f"Vehicle make {v}",
    "fault": lambda v: "The policyholder is at fault" if v == "policy_holder" else "A third party is at fault",
    "coverage": lambda v: f"Cover is {COVERAGE_WORDS.get(v, v)}",
    "area_type": lambda v: f"Loss in {'an' if v[0] in 'aeiou' else 'a'} {v} area",
    "address_change": lambda v: (
        "No change of address"
        if v == "no change"
        else f"Claimant changed address {'about a year' if v == '1 year' else v} before the claim"
    ),
    "supplements": _count("supplement filed to the claim", "supplements filed to the claim", "No supplements filed"),
    "past_claims": _count("earlier claim on the policy", "earlier claims on the policy", "No earlier claims"),
    "vehicles_insured": lambda v: f"{v if 'vehicle' in v else v + ' vehicles'} insured on the policy",
    "agent_type": lambda v: f"Policy sold through an {v} agent",
    "loss_month": lambda v: f"Loss occurred in {v}",
    "loss_day_of_week": lambda v: f"Loss occurred on a {v}",
    "report_month": lambda v: f"Claim reported in {v}",
    "report_day_of_week": lambda v: f"Claim reported on a {v}",
    "claimant_age": lambda v: f"Claimant aged {float(v):.0f}",
    "deductible": lambda v: f"Deductible of {float(v):,.0f}",
    "driver_rating": lambda v: f"Driver rating {float(v):.0f} of 4",
    "police_report_filed": lambda v: "A police report was filed" if float(v) else "No police report filed",
    "witness_present": lambda v: "A witness was present" if float(v) else "No witness present",
    "report_delay_days": lambda v: f"Reported {float(v):.0f} days after the loss",
    "loss_week_of_month": lambda v: f"Loss in week {float(v):.0f} of the month",
    "report_week_of_month": lambda v: f"Claim reported in week {float(v):.0f} of the month",
}


def reason_message(feature: str, value: FeatureValue) -> str:
    """What `feature` = `value` means, in a sentence."""
    label = feature.replace("_", " ").capitalize()
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return f"{label} not given"
    message = MESSAGES.get(feature)
    if message is None:
        return f"{label}: {value}"
    try:
        return message(value)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):  # a value no sentence was written for
        return f"{label}: {value}"


def top_reasons(
    names: Sequence[str], values: Sequence[FeatureValue], contributions: Sequence[float], limit: int = 3
) -> list[ReasonCode]:
    """The `limit` features that raised the score most (only those that raised it), largest first."""
    ranked = sorted(zip(names, values, contributions, strict=True), key=lambda item: -item[2])
    return [
        ReasonCode(code=name, message=reason_message(name, value), contribution=round(float(weight), 4))
        for name, value, weight in ranked[:limit]
        if weight > 0
    ]


def top_reasons_of_batch(
    names: Sequence[str], rows: Sequence[FeatureRow], contributions: np.ndarray, limit: int = 3
) -> list[list[ReasonCode]]:
    """`top_reasons` of each row, ranked in one pass over the batch's contributions (rows by features).

    A stable sort, as `top_reasons`: features that raised the score equally keep their order. Only the
    `limit` strongest of each row are put into words.
    """
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :limit]
    weights = np.take_along_axis(contributions, order, axis=1)
    return [
        [
            ReasonCode(code=names[j], message=reason_message(names[j], row[names[j]]), contribution=round(weight, 4))
            for j, weight in zip(columns, strongest, strict=True)
            if weight > 0
        ]
        for row, columns, strongest in zip(rows, order.tolist(), weights.tolist(), strict=True)
    ]
