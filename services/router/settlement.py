"""What a straight-through claim pays, and the settlement event that tells the payments system.

The payment starts from the amount a document states (the repair estimate, else the invoice total;
services/router/amounts.py) and, only when no document gives one, from the severity model's expected
cost; both in the policy's currency, never another. That cost, no more than the amount claimed at
first notice (when stated), less the deductible, not below zero, capped at the sum insured, in cents
rounded half up (the way a payment is written), is what the claim pays.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel

from services.core import topics
from services.core.events import DEFAULT_CURRENCY, ClaimCase, Route, Settlement
from services.router.amounts import DocumentedAmount, documented, expected_cost
from services.router.policy import RoutingPolicy

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Payable:
    """The amount a claim would pay straight through, and how it was reached."""

    amount: Decimal
    cost: Decimal  # what the payment starts from: a document's amount, or the model's expected cost
    sum_insured: Decimal
    deductible: Decimal
    claimed: Decimal | None = None
    currency: str = DEFAULT_CURRENCY
    document: DocumentedAmount | None = None  # where `cost` was read; None: the model's expected cost

    @property
    def limited_to_claimed(self) -> bool:
        return self.claimed is not None and self.cost > self.claimed

    @property
    def loss(self) -> Decimal:
        """The cost, no more than the amount claimed."""
        return min(self.cost, self.claimed) if self.claimed is not None else self.cost

    @property
    def capped(self) -> bool:
        return self.loss - self.deductible > self.sum_insured


def money(value: float | Decimal) -> Decimal:
    """An amount as a payment writes it: two decimal places, rounded half up."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def payable(
    cost: float | Decimal | None,
    sum_insured: float,
    deductible: float,
    claimed: float | None = None,
    *,
    currency: str = DEFAULT_CURRENCY,
    document: DocumentedAmount | None = None,
) -> Payable | None:
    """The cost, no more than the amount claimed, less the deductible, not below zero, capped at the sum insured;
    None without a cost."""
    if cost is None:
        return None
    start, limit, excess = money(cost), money(sum_insured), money(deductible)
    ceiling = None if claimed is None else money(claimed)
    loss = start if ceiling is None else min(start, ceiling)
    return Payable(min(max(loss - excess, ZERO), limit), start, limit, excess, ceiling, currency, document)


def payable_of(case: ClaimCase, policy: RoutingPolicy) -> Payable | None:
    """What `case` would pay straight through, in its policy's currency: from the amount its documents state when
    they state one, else from the model's expected cost in that currency; None when neither gives a cost."""
    fnol = case.fnol
    document = documented(case, policy.settlement.min_document_confidence).amount
    cost = document.amount if document is not None else expected_cost(case)
    return payable(
        cost,
        fnol.policy.sum_insured,
        fnol.policy.deductible,
        fnol.loss.claimed_amount,
        currency=fnol.policy.currency,
        document=document,
    )


def settlement_events(case: ClaimCase, *, policy: RoutingPolicy) -> Sequence[tuple[str, BaseModel]]:
    """The settlement a decided case calls for, on claims.settlement.v1: one for straight-through, else none."""
    decision = case.decision
    if decision is None or decision.route is not Route.STRAIGHT_THROUGH:
        return ()
    owed = payable_of(case, policy)
    if owed is None or decision.payable_amount is None or owed.amount != decision.payable_amount:
        raise ValueError(
            f"claim {case.claim_id} went straight through without the amount its documents or estimate pay"
        )
    estimated = expected_cost(case)
    severity = case.severity
    settlement = Settlement(
        event_id=uuid.uuid5(case.event_id, "settlement"),
        claim_id=case.claim_id,
        occurred_at=case.occurred_at,
        policy_number=case.fnol.policy.policy_number,
        payable_amount=owed.amount,
        currency=owed.currency,
        paid_on="document" if owed.document else "expected_cost",
        documented_amount=owed.cost if owed.document else None,
        document_sha256=owed.document.document if owed.document else None,
        document_filename=owed.document.filename if owed.document else None,
        expected_cost=money(estimated) if estimated is not None else None,
        claimed_amount=owed.claimed,
        sum_insured=owed.sum_insured,
        deductible=owed.deductible,
        capped_at_sum_insured=owed.capped,
        basis=basis(owed),
        severity_model=severity.model if severity and estimated is not None else None,
        policy_version=decision.policy_version,
        decided_at=decision.decided_at,
    )
    return ((topics.SETTLEMENT, settlement),)


def basis(owed: Payable) -> str:
    """How the amount was reached, as a claims handler would write it."""

    def amount(value: Decimal) -> str:
        return f"{owed.currency} {value:,.2f}"

    steps = [f"{owed.document.source} {amount(owed.cost)}" if owed.document else f"Expected cost {amount(owed.cost)}"]
    if owed.limited_to_claimed and owed.claimed is not None:
        steps.append(f"limited to the amount claimed {amount(owed.claimed)}")
    steps.append(f"less the deductible {amount(owed.deductible)}")
    if owed.capped:
        steps.append(f"capped at the sum insured {amount(owed.sum_insured)}")
    return f"{', '.join(steps)}: pays {amount(owed.amount)}."
