"""What the routing policy knows of a case, each condition's check, and the wording reasons quote.

The facts come from the deciding arm's sections only: a `shadow` score never routes a claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.core.events import ClaimCase
from services.router.amounts import DocumentedAmount, documented, expected_cost, no_estimate_note
from services.router.links import LinkFacts, link_facts, shared_entity
from services.router.policy import Conditions, RoutingPolicy
from services.router.settlement import Payable, basis, payable_of

# The perils a stated cause of loss can be read as; a cause not listed ("other") agrees with any peril.
CAUSE_PERILS = {
    "collision": {"vehicle"},
    "theft": {"other"},
    "vandalism": {"vandalism"},
    "fire": {"fire"},
    "lightning": {"lightning"},
    "wind": {"wind"},
    "hail": {"hail"},
    "water": {"water_non_weather", "water_weather"},
    "glass": {"vandalism", "other"},
}
# Perils as a reason names them.
PERIL_WORDS = {"water_non_weather": "escape of water", "water_weather": "storm water", "other": "another cause"}


@dataclass(frozen=True)
class Facts:
    """The values rules test and reasons quote, from every section of the case; amounts in `currency`."""

    fraud_probability: float | None
    expected_cost: float | None
    upper_quantile: float | None
    no_estimate_note: str
    has_injuries: bool
    missing_documents: list[str]
    findings: list[str]
    line_of_business: str
    coverage: str
    stated_cause: str
    policy_in_force: bool
    cause_covered: bool
    currency: str
    claimed_amount: float | None
    sum_insured: float
    deductible: float
    documented: DocumentedAmount | None
    foreign_amounts: tuple[DocumentedAmount, ...]
    payable: Payable | None
    peril: str | None
    peril_probability: float | None
    links: LinkFacts

    @property
    def payable_amount(self) -> Decimal | None:
        return self.payable.amount if self.payable else None


def facts(case: ClaimCase, policy: RoutingPolicy) -> Facts:
    """What the policy needs to know about a case."""
    fnol, severity = case.fnol, case.severity
    loss_day = fnol.loss.occurred_at.date()
    in_force = fnol.policy.inception_date <= loss_day and (
        fnol.policy.expiry_date is None or loss_day <= fnol.policy.expiry_date
    )
    estimated = expected_cost(case)  # the model's figures count only in the policy's currency
    read = documented(case, policy.settlement.min_document_confidence)
    return Facts(
        fraud_probability=case.fraud.probability if case.fraud else None,
        expected_cost=estimated,
        upper_quantile=severity.upper_quantile if severity and estimated is not None else None,
        no_estimate_note=no_estimate_note(case),
        has_injuries=bool(fnol.injuries),
        missing_documents=case.extraction.missing_documents if case.extraction else ["all documents"],
        findings=[f.code for f in case.extraction.findings] if case.extraction else [],
        line_of_business=fnol.line_of_business.value,
        coverage=fnol.policy.coverage.value,
        stated_cause=fnol.loss.cause,
        policy_in_force=in_force,
        cause_covered=policy.covers(fnol.line_of_business, fnol.policy.coverage, fnol.loss.cause),
        currency=fnol.policy.currency,
        claimed_amount=fnol.loss.claimed_amount,
        sum_insured=fnol.policy.sum_insured,
        deductible=fnol.policy.deductible,
        documented=read.amount,
        foreign_amounts=read.foreign,
        payable=payable_of(case, policy),
        peril=case.peril.peril if case.peril else None,
        peril_probability=case.peril.probability if case.peril else None,
        links=link_facts(case.links),
    )


def _at_least(value: float | None, threshold: float) -> bool:
    return value is not None and value >= threshold


def _below(value: float | None, threshold: float) -> bool:
    return value is not None and value < threshold


def _peril_differs(f: Facts) -> bool:
    return f.peril is not None and f.peril not in CAUSE_PERILS.get(f.stated_cause, {f.peril})


def _documented_to_expected(f: Facts) -> float | None:
    """The documented amount as a multiple of the expected cost; None without both."""
    if f.documented is None or f.expected_cost is None or f.expected_cost <= 0:
        return None
    return float(f.documented.amount) / f.expected_cost


def _far(ratio: float | None, band: dict[str, float]) -> bool:
    return ratio is not None and not band["low"] <= ratio <= band["high"]


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
        (f.expected_cost is not None and f.expected_cost > f.sum_insured) == v
    ),
    "nothing_payable": lambda v, f: (f.payable_amount is not None and f.payable_amount <= 0) == v,
    "peril_in": lambda v, f: f.peril in v,
    "peril_probability_at_least": lambda v, f: _at_least(f.peril_probability, v),
    "peril_probability_below": lambda v, f: _below(f.peril_probability, v),
    "peril_differs_from_stated_cause": lambda v, f: _peril_differs(f) == v,
    "no_documented_amount": lambda v, f: (f.documented is None) == v,
    "documented_amount_at_least": lambda v, f: f.documented is not None and f.documented.amount >= Decimal(str(v)),
    "documented_amount_far_from_expected": lambda v, f: _far(_documented_to_expected(f), v),
    "document_currency_differs": lambda v, f: bool(f.foreign_amounts) == v,
    "ring_score_at_least": lambda v, f: _at_least(f.links.ring_score, v),
    "linked_to_fraud_within_hops": lambda v, f: (
        f.links.fraud_within_hops is not None and f.links.fraud_within_hops <= v
    ),
    "shared_entity_claims_at_least": lambda v, f: f.links.most_shared_claims >= v,
}


def matches(when: Conditions, f: Facts) -> bool:
    """Whether every condition of a rule holds for these facts (a rule with no condition never matches)."""
    given = when.given
    return bool(given) and all(CHECKS[name](value, f) for name, value in given.items())


def wording(f: Facts) -> dict[str, str]:
    """Facts as a reason quotes them."""

    def money(value: float | Decimal | None) -> str:
        return f"{f.currency} {value:,.0f}" if value is not None else "not estimated"

    def share(value: float | None, missing: str) -> str:
        return f"{value:.0%}" if value is not None else missing

    ratio, owed = _documented_to_expected(f), f.payable
    settled_on = (
        "nothing"
        if owed is None
        else str(owed.document)
        if owed.document
        else f"expected cost {money(f.expected_cost)}"
    )
    return {
        "fraud_probability": share(f.fraud_probability, "not scored"),
        "currency": f.currency,
        "expected_cost": money(f.expected_cost),
        "upper_quantile": money(f.upper_quantile),
        "no_estimate_note": f.no_estimate_note,
        "sum_insured": money(f.sum_insured),
        "deductible": money(f.deductible),
        "payable_amount": f"{f.currency} {f.payable_amount:,.2f}" if f.payable_amount is not None else "nothing",
        "settlement_basis": basis(f.payable) if f.payable else "nothing to pay.",
        "settled_on": settled_on,
        "documented": str(f.documented) if f.documented else "no document states an amount",
        "documented_to_expected": f"{ratio:.3g} times" if ratio is not None else "not comparable with",
        "foreign_amounts": "; ".join(str(a) for a in f.foreign_amounts) or "none",
        "missing_documents": ", ".join(f.missing_documents) or "none",
        "findings": ", ".join(code.replace("_", " ") for code in f.findings) or "none",
        "line_of_business": f.line_of_business,
        "coverage": f.coverage.replace("_", " "),
        "stated_cause": f.stated_cause,
        "peril": PERIL_WORDS.get(f.peril, f.peril) if f.peril else "not classified",
        "peril_probability": share(f.peril_probability, "no probability"),
        "ring_score": f"{f.links.ring_score:.2f}" if f.links.ring_score is not None else "not linked",
        "shared_entity": shared_entity(f.links),
    }
