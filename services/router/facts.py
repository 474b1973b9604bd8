"""What the routing policy knows of a case, each condition's check, and the wording reasons quote.

The facts come from the deciding arm's sections only: a `shadow` score never routes a claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.core.events import ClaimCase
from services.router.policy import Conditions, RoutingPolicy
from services.router.settlement import payable_of

# The perils a stated cause of loss can be read as; a cause not listed ("other") agrees with any peril.
CAUSE_PERILS = {
    "collision": {"vehicle"}, "theft": {"other"}, "vandalism": {"vandalism"}, "fire": {"fire"},
    "lightning": {"lightning"}, "wind": {"wind"}, "hail": {"hail"}, "water": {"water_non_weather", "water_weather"},
    "glass": {"vandalism", "other"},
}
# Perils as a reason names them.
PERIL_WORDS = {"water_non_weather": "escape of water", "water_weather": "storm water", "other": "another cause"}


@dataclass(frozen=True)
class Facts:
    """The values rules test and reasons quote, from every section of the case."""

    fraud_probability: float | None
    expected_cost: float | None
    upper_quantile: float | None
    has_injuries: bool
    missing_documents: list[str]
    findings: list[str]
    line_of_business: str
    coverage: str
    stated_cause: str
    policy_in_force: bool
    cause_covered: bool
    claimed_amount: float | None
    sum_insured: float
    deductible: float
    payable_amount: Decimal | None
    peril: str | None
    peril_probability: float | None


def facts(case: ClaimCase, policy: RoutingPolicy) -> Facts:
    """What the policy needs to know about a case."""
    fnol, severity, owed = case.fnol, case.severity, payable_of(case)
    loss_day = fnol.loss.occurred_at.date()
    in_force = fnol.policy.inception_date <= loss_day and (
        fnol.policy.expiry_date is None or loss_day <= fnol.policy.expiry_date
    )
    return Facts(
        fraud_probability=case.fraud.probability if case.fraud else None,
        expected_cost=severity.expected_cost if severity else None,
        upper_quantile=severity.upper_quantile if severity else None,
        has_injuries=bool(fnol.injuries),
        missing_documents=case.extraction.missing_documents if case.extraction else ["all documents"],
        findings=[f.code for f in case.extraction.findings] if case.extraction else [],
        line_of_business=fnol.line_of_business.value, coverage=fnol.policy.coverage.value,
        stated_cause=fnol.loss.cause, policy_in_force=in_force,
        cause_covered=policy.covers(fnol.line_of_business, fnol.policy.coverage, fnol.loss.cause),
        claimed_amount=fnol.loss.claimed_amount, sum_insured=fnol.policy.sum_insured,
        deductible=fnol.policy.deductible, payable_amount=owed.amount if owed else None,
        peril=case.peril.peril if case.peril else None,
        peril_probability=case.peril.probability if case.peril else None,
    )


def _at_least(value: float | None, threshold: float) -> bool:
    return value is not None and value >= threshold


def _below(value: float | None, threshold: float) -> bool:
    return value is not None and value < threshold


def _peril_differs(f: Facts) -> bool:
    return f.peril is not None and f.peril not in CAUSE_PERILS.get(f.stated_cause, {f.peril})


# One check per condition of the policy's vocabulary: (the rule's value, the facts) -> whether it holds.
CHECKS: dict[str, Callable[[Any, Facts], bool]] = {
    "fraud_probability_at_least": lambda v, f: _at_least(f.fraud_probability, v),
    "expected_cost_at_least": lambda v, f: _at_least(f.expected_cost, v),
    "upper_quantile_at_least": lambda v, f: _at_least(f.upper_quantile, v),
    "has_injuries": lambda v, f: f.has_injuries == v,
    "documents_missing": lambda v, f: bool(f.missing_documents) == v,
    "any_finding": lambda v, f: bool(set(v) & set(f.findings)),
    "has_findings": lambda v, f: bool(f.findings) == v,
    "line_of_business_in": lambda v, f: f.line_of_business in v,
    "no_severity_estimate": lambda v, f: (f.expected_cost is None) == v,
    "policy_not_in_force": lambda v, f: (not f.policy_in_force) == v,
    "cause_not_covered": lambda v, f: (not f.cause_covered) == v,
    "claimed_above_sum_insured": lambda v, f: (f.claimed_amount is not None and f.claimed_amount > f.sum_insured) == v,
    "expected_cost_above_sum_insured": lambda v, f: (
        f.expected_cost is not None and f.expected_cost > f.sum_insured) == v,
    "nothing_payable": lambda v, f: (f.payable_amount is not None and f.payable_amount <= 0) == v,
    "peril_in": lambda v, f: f.peril in v,
    "peril_probability_at_least": lambda v, f: _at_least(f.peril_probability, v),
    "peril_probability_below": lambda v, f: _below(f.peril_probability, v),
    "peril_differs_from_stated_cause": lambda v, f: _peril_differs(f) == v,
}


def matches(when: Conditions, f: Facts) -> bool:
    """Whether every condition of a rule holds for these facts (a rule with no condition never matches)."""
    given = when.given
    return bool(given) and all(CHECKS[name](value, f) for name, value in given.items())


def wording(f: Facts, currency: str = "EUR") -> dict[str, str]:
    """Facts as a reason quotes them."""
    def money(value: float | Decimal | None) -> str:
        return f"{currency} {value:,.0f}" if value is not None else "not estimated"

    def share(value: float | None, missing: str) -> str:
        return f"{value:.0%}" if value is not None else missing

    return {
        "fraud_probability": share(f.fraud_probability, "not scored"),
        "expected_cost": money(f.expected_cost), "upper_quantile": money(f.upper_quantile),
        "sum_insured": money(f.sum_insured), "deductible": money(f.deductible),
        "payable_amount": f"{currency} {f.payable_amount:,.2f}" if f.payable_amount is not None else "nothing",
        "missing_documents": ", ".join(f.missing_documents) or "none",
        "findings": ", ".join(f.findings) or "none",
        "line_of_business": f.line_of_business, "coverage": f.coverage.replace("_", " "),
        "stated_cause": f.stated_cause,
        "peril": PERIL_WORDS.get(f.peril, f.peril) if f.peril else "not classified",
        "peril_probability": share(f.peril_probability, "no probability"),
    }
