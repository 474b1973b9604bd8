"""What a straight-through claim pays, and the settlement event that tells the payments system.

The amount is the severity model's expected cost, capped at the policy's sum insured, less the
deductible, never below zero, in cents rounded half up (the way a payment is written).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel

from services.core import topics
from services.core.events import ClaimCase, Route, Settlement

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Payable:
    """The amount a claim would pay straight through, and how it was reached."""

    amount: Decimal
    expected_cost: Decimal
    sum_insured: Decimal
    deductible: Decimal

    @property
    def capped(self) -> bool:
        return self.expected_cost > self.sum_insured


def money(value: float) -> Decimal:
    """A float amount as a payment writes it: two decimal places, rounded half up."""
    return Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def payable(expected_cost: float | None, sum_insured: float, deductible: float) -> Payable | None:
    """The expected cost capped at the sum insured, less the deductible, not below zero; None without an estimate."""
    if expected_cost is None:
        return None
    cost, limit, excess = money(expected_cost), money(sum_insured), money(deductible)
    return Payable(max(min(cost, limit) - excess, Decimal("0.00")), cost, limit, excess)


def payable_of(case: ClaimCase) -> Payable | None:
    """What `case` would pay straight through, from its severity estimate and its policy's limit and deductible."""
    policy = case.fnol.policy
    return payable(case.severity.expected_cost if case.severity else None, policy.sum_insured, policy.deductible)


def settlement_events(case: ClaimCase) -> Sequence[tuple[str, BaseModel]]:
    """The settlement a decided case calls for, on claims.settlement.v1: one for straight-through, else none."""
    decision = case.decision
    if decision is None or decision.route is not Route.STRAIGHT_THROUGH:
        return ()
    owed = payable_of(case)
    if owed is None or decision.payable_amount is None or owed.amount != decision.payable_amount:
        raise ValueError(f"claim {case.claim_id} went straight through without the amount its estimate pays")
    severity = case.severity
    assert severity is not None  # payable_of found an estimate
    settlement = Settlement(
        event_id=uuid.uuid5(case.event_id, "settlement"), claim_id=case.claim_id, occurred_at=case.occurred_at,
        policy_number=case.fnol.policy.policy_number, payable_amount=owed.amount, currency=severity.currency,
        expected_cost=owed.expected_cost, sum_insured=owed.sum_insured, deductible=owed.deductible,
        capped_at_sum_insured=owed.capped, basis=basis(owed, severity.currency), severity_model=severity.model,
        policy_version=decision.policy_version, decided_at=decision.decided_at,
    )
    return ((topics.SETTLEMENT, settlement),)


def basis(owed: Payable, currency: str) -> str:
    """How the amount was reached, as a claims handler would write it."""
    cost = f"Expected cost {currency} {owed.expected_cost:,.2f}"
    if owed.capped:
        cost += f" capped at the sum insured {currency} {owed.sum_insured:,.2f}"
    return (f"{cost}, less the deductible {currency} {owed.deductible:,.2f}: "
            f"pays {currency} {owed.amount:,.2f}.")
