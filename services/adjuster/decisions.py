"""What an adjuster's decision must satisfy, and what it becomes: a feedback label and an audit entry.

Pure functions: the API checks a decision here before anything is written.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.adjuster.queue import QueueItem
from services.core.audit import AuditEntry, digest
from services.core.events import ClaimCase
from services.core.events.feedback import AdjusterDecision, Outcome


class DecisionForm(BaseModel):
    """A decision as an adjuster submits it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: Outcome
    amount: float | None = Field(default=None, ge=0, description="Amount to pay, for approve.")
    reason: str | None = Field(
        default=None, max_length=2000, description="Why; required when the outcome departs from the recommendation."
    )


class InvalidDecision(ValueError):
    """A decision that breaks a rule; the message says which."""


def check(form: DecisionForm, item: QueueItem) -> None:
    """Refuse an approval without an amount or above the limit, and an override without a reason."""
    if form.outcome is Outcome.APPROVE:
        if form.amount is None:
            raise InvalidDecision("an approval needs the amount to pay")
        if form.amount > item.payable_limit:
            raise InvalidDecision(f"amount {form.amount:,.2f} is above the policy limit {item.payable_limit:,.2f}")
    elif form.amount is not None:
        raise InvalidDecision(f"only an approval carries an amount, not {form.outcome.value}")
    if form.outcome.value != item.recommendation and not form.reason:
        raise InvalidDecision(
            f"the recommendation was {item.recommendation}: a reason is required to decide {form.outcome.value}"
        )


def feedback(item: QueueItem, case: ClaimCase | None, now: datetime) -> AdjusterDecision:
    """The decided case as a label on claims.feedback.v1 (one event id per claim, so a retry is recognised)."""
    assert item.decision is not None and item.decided_by is not None
    return AdjusterDecision(
        event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"claims-triage:feedback:{item.claim_id}"),
        claim_id=item.claim_id,
        occurred_at=now,
        adjuster=item.decided_by,
        desk=item.desk,
        outcome=Outcome(item.decision),
        amount=item.amount,
        recommendation=item.recommendation,
        overridden=item.decision != item.recommendation,
        reason=item.reason,
        fraud_model=case.fraud.model if case and case.fraud else None,
        fraud_probability=case.fraud.probability if case and case.fraud else None,
        severity_model=case.severity.model if case and case.severity else None,
        policy_version=case.decision.policy_version if case and case.decision else None,
    )


def action_entry(
    kind: str, item: QueueItem, actor: str, now: datetime, request: dict[str, object], reasons: list[str]
) -> AuditEntry:
    """An audit entry for a human action on a case (take, decide, reassign)."""
    key = f"{item.claim_id}:decision" if kind == "human_decision" else f"{item.claim_id}:{kind}:{uuid.uuid4()}"
    outputs = {
        "status": item.status,
        "held_by": item.held_by,
        "decision": item.decision,
        "amount": item.amount,
        "recommendation": item.recommendation,
        "desk": item.desk,
    }
    return AuditEntry(
        entry_key=key,
        recorded_at=now,
        claim_id=item.claim_id,
        kind=kind,
        actor=actor,
        inputs_digest=digest(request),
        outputs=outputs,
        reasons=reasons,
    )
