"""The routing policy: a versioned YAML file of ordered referral rules, SLA hours and the cover table.

A claim goes straight through when no rule refers it; otherwise it goes to the desk of the
first rule that matched, with the highest priority of all that matched, and every matched
rule's reason. Conditions are a fixed vocabulary (no expressions evaluated from the file), so
a typo in the file is an error at load time, not a rule that silently never fires.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.core.events import Coverage, LineOfBusiness, Recommendation

DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")
Priority = Literal[1, 2, 3, 4, 5]
Cause = Literal["collision", "theft", "vandalism", "fire", "lightning", "wind", "hail", "water", "glass", "other"]
Peril = Literal[
    "vandalism", "fire", "lightning", "wind", "hail", "vehicle", "water_non_weather", "water_weather", "other"
]


class RatioBand(BaseModel):
    """How far, as a multiple, one amount may be from another before it is far."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: float = Field(gt=0)
    high: float = Field(gt=0)

    @model_validator(mode="after")
    def _low_below_high(self) -> RatioBand:
        if self.low >= self.high:
            raise ValueError(f"low {self.low} must be below high {self.high}")
        return self


class Conditions(BaseModel):
    """Every condition given must hold for the rule to match (services/router/facts.py checks each)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fraud_probability_at_least: float | None = Field(default=None, ge=0, le=1)
    expected_cost_at_least: float | None = Field(default=None, ge=0)
    upper_quantile_at_least: float | None = Field(default=None, ge=0)
    has_injuries: bool | None = None
    documents_missing: bool | None = None
    any_finding: list[str] | None = None
    has_findings: bool | None = None
    line_of_business_in: list[LineOfBusiness] | None = None
    no_severity_estimate: bool | None = None
    # Coverage: the FNOL's policy facts against the loss.
    policy_not_in_force: bool | None = Field(default=None, description="The loss date is outside the policy period.")
    cause_not_covered: bool | None = Field(default=None, description="The cover table does not pay for the cause.")
    claimed_above_sum_insured: bool | None = None
    expected_cost_above_sum_insured: bool | None = None
    nothing_payable: bool | None = Field(default=None, description="The deductible swallows the cost to settle on.")
    # What the documents state the claim costs (services/router/amounts.py), against the model's expected cost.
    no_documented_amount: bool | None = Field(default=None, description="No document states an amount to pay.")
    documented_amount_at_least: float | None = Field(default=None, ge=0)
    documented_amount_far_from_expected: RatioBand | None = Field(
        default=None, description="The documented amount is below `low` or above `high` times the expected cost."
    )
    document_currency_differs: bool | None = Field(
        default=None, description="A document states an amount in another currency than the policy's."
    )
    # Cause of loss as the peril model reads it in the description (property claims).
    peril_in: list[Peril] | None = None
    peril_probability_at_least: float | None = Field(default=None, ge=0, le=1)
    peril_probability_below: float | None = Field(default=None, ge=0, le=1)
    peril_differs_from_stated_cause: bool | None = None
    # The claims graph (services/links): what this claim shares with other claims.
    ring_score_at_least: float | None = Field(default=None, ge=0, le=1)
    linked_to_fraud_within_hops: int | None = Field(
        default=None, ge=1, le=2, description="A claim referred or denied for fraud is this many hops away or fewer."
    )
    shared_entity_claims_at_least: int | None = Field(
        default=None, ge=1, description="An entity that is not common is shared with at least this many other claims."
    )

    @cached_property
    def given(self) -> dict[str, Any]:
        """The conditions this rule sets, by name (read once per rule, not once per claim)."""
        return self.model_dump(exclude_none=True)


# From the most cautious: a claim that several rules refer gets the first of their recommendations in this order.
CAUTION: tuple[Recommendation, ...] = ("deny", "refer", "request_documents", "approve")


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    desk: str
    priority: Priority
    reason: str = Field(description="Plain-language reason; may use {fraud_probability}, {expected_cost}, ...")
    when: Conditions
    recommends: Recommendation = Field(
        default="approve", description="What the adjuster is advised to decide when this rule refers the claim."
    )


def recommendation(rules: list[Rule]) -> Recommendation:
    """The most cautious outcome the matched rules recommend (a claim referred for fraud is never approved)."""
    return min((rule.recommends for rule in rules), key=CAUTION.index, default="approve")


class SlaHours(BaseModel):
    """Hours a desk has to decide a referred claim, from intake's acceptance, by priority."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default: dict[int, float] = Field(description="Hours by priority 1..5, for desks without their own hours.")
    desks: dict[str, dict[int, float]] = Field(default_factory=dict, description="Per-desk exceptions.")

    @model_validator(mode="after")
    def _every_priority_has_hours(self) -> SlaHours:
        priorities = {1, 2, 3, 4, 5}
        missing = sorted(priorities - set(self.default))
        if missing:
            raise ValueError(f"sla_hours.default needs hours for every priority; missing {missing}")
        for hours in (self.default, *self.desks.values()):
            if set(hours) - priorities:
                raise ValueError(f"SLA hours are by priority 1 to 5, not {sorted(set(hours) - priorities)}")
            if any(h <= 0 for h in hours.values()):
                raise ValueError("SLA hours must be positive")
        return self

    def hours(self, desk: str, priority: int) -> float:
        return self.desks.get(desk, {}).get(priority, self.default[priority])


class SettlementTerms(BaseModel):
    """How a straight-through payment is reached (services/router/settlement.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_document_confidence: float = Field(
        default=0.8, ge=0, le=1, description="A document's amount read less surely than this is not paid on."
    )


class RoutingPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    description: str = ""
    straight_through_reason: str
    settlement: SettlementTerms = SettlementTerms()
    sla_hours: SlaHours
    cover: dict[LineOfBusiness, dict[Coverage, list[Cause]]] = Field(
        description="The causes of loss each coverage pays for, by line of business; a pair not listed pays nothing."
    )
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _sla_desks_are_desks(self) -> RoutingPolicy:
        unknown = set(self.sla_hours.desks) - {rule.desk for rule in self.rules}
        if unknown:
            raise ValueError(f"sla_hours names desks no rule sends claims to: {', '.join(sorted(unknown))}")
        return self

    def sla_due(self, accepted_at: datetime, desk: str, priority: int) -> datetime:
        """When `desk` must have decided a claim of `priority` that intake accepted at `accepted_at`."""
        return accepted_at + timedelta(hours=self.sla_hours.hours(desk, priority))

    def covers(self, line: LineOfBusiness, coverage: Coverage, cause: str) -> bool:
        """Whether a policy of `coverage` on `line` pays for a loss of `cause`."""
        return cause in self.cover.get(line, {}).get(coverage, [])


def load_policy(path: Path | None = None) -> RoutingPolicy:
    """Read and validate a policy file (the packaged default when path is None)."""
    with (path or DEFAULT_POLICY).open() as handle:
        return RoutingPolicy.model_validate(yaml.safe_load(handle))
