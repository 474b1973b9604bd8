"""The routing policy: a versioned YAML file of ordered referral rules.

A claim goes straight through when no rule refers it; otherwise it goes to the desk of the
first rule that matched, with the highest priority of all that matched, and every matched
rule's reason. Conditions are a fixed vocabulary (no expressions evaluated from the file), so
a typo in the file is an error at load time, not a rule that silently never fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from services.core.events import ClaimCase

DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")


class Conditions(BaseModel):
    """Every condition given must hold for the rule to match."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fraud_probability_at_least: float | None = Field(default=None, ge=0, le=1)
    expected_cost_at_least: float | None = Field(default=None, ge=0)
    upper_quantile_at_least: float | None = Field(default=None, ge=0)
    has_injuries: bool | None = None
    documents_missing: bool | None = None
    any_finding: list[str] | None = None
    has_findings: bool | None = None
    line_of_business_in: list[str] | None = None
    no_severity_estimate: bool | None = None
    policy_not_in_force: bool | None = None
    claimed_above_sum_insured: bool | None = None


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    desk: str
    priority: int = Field(ge=1, le=5)
    reason: str = Field(description="Plain-language reason; may use {fraud_probability}, {expected_cost}, ...")
    when: Conditions


class RoutingPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    description: str = ""
    straight_through_reason: str
    rules: list[Rule] = Field(min_length=1)


def load_policy(path: Path | None = None) -> RoutingPolicy:
    """Read and validate a policy file (the packaged default when path is None)."""
    with (path or DEFAULT_POLICY).open() as handle:
        return RoutingPolicy.model_validate(yaml.safe_load(handle))


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
    policy_in_force: bool
    claimed_amount: float | None
    sum_insured: float


def facts(case: ClaimCase) -> Facts:
    """What the policy needs to know about a case."""
    fnol = case.fnol
    loss_day: date = fnol.loss.occurred_at.date()
    in_force = fnol.policy.inception_date <= loss_day and (
        fnol.policy.expiry_date is None or loss_day <= fnol.policy.expiry_date
    )
    severity = case.severity
    return Facts(
        fraud_probability=case.fraud.probability if case.fraud else None,
        expected_cost=severity.expected_cost if severity else None,
        upper_quantile=severity.upper_quantile if severity else None,
        has_injuries=bool(fnol.injuries),
        missing_documents=case.extraction.missing_documents if case.extraction else ["all documents"],
        findings=[f.code for f in case.extraction.findings] if case.extraction else [],
        line_of_business=fnol.line_of_business.value,
        policy_in_force=in_force,
        claimed_amount=fnol.loss.claimed_amount,
        sum_insured=fnol.policy.sum_insured,
    )


def matches(when: Conditions, f: Facts) -> bool:  # noqa: C901 - one flat check per condition
    """Whether every condition of a rule holds for these facts."""
    checks: list[bool] = []
    if when.fraud_probability_at_least is not None:
        checks.append(_at_least(f.fraud_probability, when.fraud_probability_at_least))
    if when.expected_cost_at_least is not None:
        checks.append(_at_least(f.expected_cost, when.expected_cost_at_least))
    if when.upper_quantile_at_least is not None:
        checks.append(_at_least(f.upper_quantile, when.upper_quantile_at_least))
    if when.has_injuries is not None:
        checks.append(f.has_injuries == when.has_injuries)
    if when.documents_missing is not None:
        checks.append(bool(f.missing_documents) == when.documents_missing)
    if when.any_finding is not None:
        checks.append(bool(set(when.any_finding) & set(f.findings)))
    if when.has_findings is not None:
        checks.append(bool(f.findings) == when.has_findings)
    if when.line_of_business_in is not None:
        checks.append(f.line_of_business in when.line_of_business_in)
    if when.no_severity_estimate is not None:
        checks.append((f.expected_cost is None) == when.no_severity_estimate)
    if when.policy_not_in_force is not None:
        checks.append((not f.policy_in_force) == when.policy_not_in_force)
    if when.claimed_above_sum_insured is not None:
        above = f.claimed_amount is not None and f.claimed_amount > f.sum_insured
        checks.append(above == when.claimed_above_sum_insured)
    return bool(checks) and all(checks)


def _at_least(value: float | None, threshold: float) -> bool:
    return value is not None and value >= threshold
