"""Adjusters' decisions joined with the FNOLs they were made on: the labels retraining reads.

Every decision published on claims.feedback.v1 is first recorded on the claim's queue row; the
FNOL is the one intake accepted (the intake stage's stored case). A decided claim whose FNOL is
not in the store (e.g. purged) is left out: a label without its inputs teaches nothing.

The label policy (`LABEL_POLICY`), one rule per outcome (services.core.events.feedback.Outcome),
read by retraining (training/feedback.py) and by the champion/challenger comparison alike:

  fraud     refer (to special investigations)  -> 1
            deny, at any desk but coverage      -> 1
            deny at the coverage desk           -> left out: a denial on cover grounds says nothing of fraud
            approve                             -> 0
            request_documents                   -> left out: no outcome yet
  severity  approve with an amount above 0      -> the approved amount (motor claims only)
            anything else                       -> left out
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from services.core.events import FNOL, ClaimCase, LineOfBusiness
from services.core.tables import queue_items, stage_results

INTAKE_STAGE = "intake"
LABEL_POLICY = "feedback-v1"
FRAUD_OUTCOMES = {"refer": 1, "deny": 1, "approve": 0}
COVERAGE_DESK = "coverage"


@dataclass(frozen=True)
class DecidedClaim:
    """One adjuster decision with the FNOL it was made on."""

    claim_id: str
    desk: str
    outcome: str  # approve, deny, refer, request_documents (services.core.events.feedback.Outcome)
    amount: float | None  # approved amount, for approve
    decided_at: datetime
    fnol: FNOL


def fraud_label(claim: DecidedClaim) -> int | None:
    """1 for a fraud, 0 for a genuine claim, None for a decision that does not say (see the module's policy)."""
    if claim.outcome == "deny" and claim.desk == COVERAGE_DESK:
        return None
    return FRAUD_OUTCOMES.get(claim.outcome)


def severity_label(claim: DecidedClaim) -> float | None:
    """The approved amount of a motor claim, None for anything else."""
    if claim.outcome != "approve" or not claim.amount or claim.fnol.line_of_business is not LineOfBusiness.MOTOR:
        return None
    return float(claim.amount)


class LabelStore:
    """Reads decided queue rows and their FNOLs from the claim store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def decided(self, until: datetime | None = None) -> list[DecidedClaim]:
        """Every decided claim with a stored FNOL (decided at or before `until` if given), oldest first."""
        query = (
            select(
                queue_items.c.claim_id,
                queue_items.c.desk,
                queue_items.c.decision,
                queue_items.c.amount,
                queue_items.c.decided_at,
                stage_results.c.case_json,
            )
            .join(
                stage_results,
                (stage_results.c.claim_id == queue_items.c.claim_id) & (stage_results.c.stage == INTAKE_STAGE),
            )
            .where(queue_items.c.status == "decided", queue_items.c.decision.is_not(None))
            .order_by(queue_items.c.decided_at, queue_items.c.claim_id)
        )
        if until is not None:
            query = query.where(queue_items.c.decided_at <= until)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            DecidedClaim(
                claim_id=row.claim_id,
                desk=row.desk,
                outcome=row.decision,
                amount=row.amount,
                decided_at=_aware(row.decided_at),
                fnol=ClaimCase.model_validate_json(row.case_json).fnol,
            )
            for row in rows
        ]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
