"""The case in an adjuster's words: what raised the fraud score, what the documents' findings mean, and what each
audit entry recorded, as sentences rather than codes and JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.adjuster.wording import MISSING, money, words
from services.core.events import ClaimCase, LineOfBusiness

# The fraud model learnt from motor claims: on a property claim these facts are absent, not suspicious.
MOTOR_ONLY = frozenset(
    {
        "vehicle_age",
        "vehicle_price",
        "vehicle_category",
        "make",
        "fault",
        "driver_rating",
        "bonus_malus",
        "vehicle_power",
        "vehicle_fuel",
        "vehicles_insured",
    }
)
FINDINGS = {
    "policy_number_mismatch": "The policy number on a document differs from the FNOL's",
    "claim_number_mismatch": "The claim number on a document differs from the FNOL's",
    "loss_date_mismatch": "The date of loss on a document differs from the FNOL's",
    "loss_time_mismatch": "The time of loss on a document differs from the FNOL's",
    "claimant_name_mismatch": "The claimant's name on a document differs from the FNOL's",
    "vin_mismatch": "The VIN on a document differs from the FNOL's",
    "vin_malformed": "A VIN that cannot be real",
    "plate_mismatch": "The number plate on a document differs from the FNOL's",
    "vehicle_make_mismatch": "The vehicle make on a document differs from the FNOL's",
    "vehicle_year_mismatch": "The vehicle year on a document differs from the FNOL's",
    "police_report_number_mismatch": "The police report number on a document differs from the FNOL's",
    "injuries_mismatch": "A document and the FNOL disagree on injuries",
    "unreadable_document": "A document could not be read",
    "unsupported_document": "A document of a kind not read yet",
}


@dataclass(frozen=True)
class Raised:
    """One fact that pushed the fraud score up, and its share of everything that did."""

    message: str
    share: float


def fraud_raisers(case: ClaimCase) -> tuple[list[Raised], int]:
    """The reasons that raised the score (only those), in words for this claim's line; and how many motor-only
    facts were left out of a property claim's reasons."""
    if case.fraud is None:
        return [], 0
    up = [r for r in case.fraud.reasons if r.contribution > 0]
    property_claim = case.fnol.line_of_business is LineOfBusiness.PROPERTY
    shown = [r for r in up if not (property_claim and r.code in MOTOR_ONLY)]
    total = sum(r.contribution for r in up) or 1.0
    policy = case.fnol.policy
    raised = [
        Raised(_phrase(r.code, r.message, money(policy.deductible, policy.currency)), r.contribution / total)
        for r in shown
    ]
    return raised, len(up) - len(shown)


def _phrase(code: str, message: str, deductible: str) -> str:
    if code == "deductible":
        return f"Deductible of {deductible}"
    if message.endswith(" not given"):
        return f"No {message.removesuffix(' not given').lower()} on the claim"
    return message


def finding_title(code: str) -> str:
    return FINDINGS.get(code) or words(code)


# docextract's wording of a disagreement: "loss_date on notice.pdf page 1 is '2026-11-21'; the FNOL says '2026-11-24'"
_DISAGREEMENT = re.compile(
    r"^\w+ on (?P<where>.+?) is (?P<q>['\"])(?P<read>.*)(?P=q); the FNOL says (?P<q2>['\"])(?P<said>.*)(?P=q2)$"
)


def finding_detail(message: str) -> str:
    """A finding's detail as a sentence: which document says what, against the FNOL."""
    found = _DISAGREEMENT.match(message)
    if found is None:
        return message
    return f"{found['where']} says {found['read']}; the FNOL says {found['said']}."


def outputs_text(outputs_json: str | None) -> str:
    """An audit entry's outputs as "name: value" phrases, in words."""
    if not outputs_json:
        return ""
    outputs = json.loads(outputs_json)
    if not isinstance(outputs, Mapping):
        return str(outputs)
    return "; ".join(f"{words(k).lower()}: {_value(v)}" for k, v in outputs.items() if v not in (None, "", [], {}))


def reasons_text(reasons_json: str | None) -> list[str]:
    reasons = json.loads(reasons_json) if reasons_json else []
    return [str(r) for r in reasons] if isinstance(reasons, list) else [str(reasons)]


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.0%}" if 0 <= value <= 1 else f"{value:,.2f}"
    if isinstance(value, Mapping):
        return ", ".join(f"{words(k).lower()} {_value(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, str):
        return value.replace("_", " ")
    return MISSING if value is None else str(value)
