"""The adjuster queue's storage: claims the router sent to a desk, who holds each, what was decided.

Holding is a lease: `take` gives one adjuster the case until `held_until`; a decision is accepted only
from the adjuster who holds it, checked in the same UPDATE that records it, so two adjusters can never
both decide one case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from services.adjuster.listing import DUE_SOON, QueueFilter, SlaState, SortKey, ordered
from services.core.database import transaction
from services.core.events import ClaimCase, Route
from services.core.tables import queue_items

# Hours to decide a case by priority (1 most urgent), for a routing decision that carries no due time of its own.
SLA_HOURS = {1: 4, 2: 24, 3: 48, 4: 72, 5: 120}


class QueueError(Exception):
    """A queue action that cannot be done; the message says why."""


class UnknownCase(QueueError):
    pass


class NotHeld(QueueError):
    pass


@dataclass(frozen=True)
class QueueItem:
    claim_id: str
    desk: str
    priority: int
    sla_due_at: datetime
    queued_at: datetime
    status: str
    recommendation: str
    payable_limit: float
    held_by: str | None
    held_until: datetime | None
    decision: str | None
    amount: float | None
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    claimant: str | None = None
    line_of_business: str | None = None
    fraud_probability: float | None = None
    expected_cost: float | None = None
    claimed_amount: float | None = None
    currency: str | None = None

    def sla_state(self, now: datetime) -> SlaState:
        """Whether the case is, or will soon be, past its due time (decided cases by when they were decided)."""
        at = self.decided_at or now
        if at > self.sla_due_at:
            return SlaState.BREACHED
        return SlaState.DUE_SOON if self.decided_at is None and at > self.sla_due_at - DUE_SOON else SlaState.ON_TIME

    def held_by_other(self, adjuster: str, now: datetime) -> bool:
        return self.held_by not in (None, adjuster) and self.held_until is not None and self.held_until > now


def recommendation(case: ClaimCase) -> str:
    """What the models and the policy suggest an adjuster decides; departing from it needs a reason.

    The router's recommendation when it made one; for a decision made before routing policies recommended, read
    from the desk and the documents."""
    if case.decision is not None and case.decision.recommendation is not None:
        return case.decision.recommendation
    desk = case.decision.desk if case.decision else None
    if desk == "special_investigations":
        return "refer"
    if case.extraction is not None and case.extraction.missing_documents:
        return "request_documents"
    if desk == "coverage":
        return "deny"
    return "approve"


class QueueStore:
    """The queue in the claim store's database (tables created by the migrations)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def enqueue(self, cases: Sequence[ClaimCase], *, conn: Connection | None = None) -> None:
        """Queue every case the router sent to a desk (in the caller's transaction `conn` if given); a replayed
        case leaves its row (and its holder) alone."""
        rows = [_row(c) for c in cases if c.decision is not None and c.decision.route is Route.ADJUSTER]
        if not rows:
            return
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        with transaction(self.engine, conn) as tx:
            tx.execute(dialect.insert(queue_items).on_conflict_do_nothing(), rows)

    def get(self, claim_id: str) -> QueueItem | None:
        with self.engine.connect() as conn:
            return _read(conn, claim_id)

    def list(
        self,
        *,
        now: datetime,
        desk: str | None = None,
        priority: int | None = None,
        sla: SlaState | None = None,
        status: str = "open",
        limit: int = 50,
        offset: int = 0,
        line: str | None = None,
        held_by: str | None = None,
        sort: SortKey = SortKey.URGENCY,
        descending: bool = False,
    ) -> list[QueueItem]:
        """Cases in working order (most urgent, then soonest due) or by `sort`, filtered by desk, priority, SLA
        state, line of business and holder; `limit` of them from `offset`."""
        admitted = QueueFilter(status, desk, priority, sla, line, held_by).where(select(queue_items), now)
        query = ordered(admitted, sort, descending).offset(offset).limit(limit)
        with self.engine.connect() as conn:
            return [_item(row) for row in conn.execute(query).mappings()]

    def count(self, selection: QueueFilter, now: datetime) -> int:
        """How many cases `selection` admits at `now` (the queue page's paging)."""
        with self.engine.connect() as conn:
            counted = conn.execute(selection.where(select(func.count()).select_from(queue_items), now)).scalar_one()
        return int(counted)

    def counts(self) -> dict[str, int]:
        """Open cases per desk."""
        query = (
            select(queue_items.c.desk, func.count()).where(queue_items.c.status == "open").group_by(queue_items.c.desk)
        )
        with self.engine.connect() as conn:
            return {desk: count for desk, count in conn.execute(query)}

    # Each change below runs in the caller's transaction `conn` when given (with its audit entry, say); a refused
    # one raises, so the caller's transaction rolls back with it.
    def take(
        self, claim_id: str, adjuster: str, now: datetime, hold: timedelta, *, conn: Connection | None = None
    ) -> QueueItem:
        """Hold an open case for `adjuster` until now + hold (renewing their own hold); refused if another holds it."""
        free = or_(queue_items.c.held_by.is_(None), queue_items.c.held_by == adjuster, queue_items.c.held_until <= now)
        return self._set(
            claim_id,
            and_(queue_items.c.status == "open", free),
            {"held_by": adjuster, "held_until": now + hold},
            now,
            adjuster,
            conn,
        )

    def reassign(
        self, claim_id: str, adjuster: str, now: datetime, hold: timedelta, *, conn: Connection | None = None
    ) -> QueueItem:
        """Give an open case to `adjuster` (a supervisor's action), whoever held it."""
        return self._set(
            claim_id,
            queue_items.c.status == "open",
            {"held_by": adjuster, "held_until": now + hold},
            now,
            adjuster,
            conn,
        )

    def decide(
        self,
        claim_id: str,
        adjuster: str,
        now: datetime,
        *,
        decision: str,
        amount: float | None,
        reason: str | None,
        conn: Connection | None = None,
    ) -> QueueItem:
        """Record the decision of the adjuster holding the case; refused unless they hold it now."""
        held = and_(queue_items.c.status == "open", queue_items.c.held_by == adjuster, queue_items.c.held_until > now)
        values = {
            "status": "decided",
            "decision": decision,
            "amount": amount,
            "reason": reason,
            "decided_by": adjuster,
            "decided_at": now,
            "held_by": None,
            "held_until": None,
        }
        return self._set(claim_id, held, values, now, adjuster, conn)

    def _set(
        self,
        claim_id: str,
        allowed: ColumnElement[bool],
        values: dict[str, Any],
        now: datetime,
        adjuster: str,
        conn: Connection | None,
    ) -> QueueItem:
        with transaction(self.engine, conn) as tx:
            changed = tx.execute(
                update(queue_items)
                .where(queue_items.c.claim_id == claim_id, allowed)
                .values(**values)
                .returning(queue_items.c.claim_id)
            ).first()
            item = _read(tx, claim_id)
            if item is None:
                raise UnknownCase(f"no case {claim_id} in the queue")
            if changed is None:
                raise NotHeld(_why_not(item, adjuster, now))
        return item


def _read(conn: Connection, claim_id: str) -> QueueItem | None:
    row = conn.execute(select(queue_items).where(queue_items.c.claim_id == claim_id)).mappings().first()
    return _item(row) if row else None


def _why_not(item: QueueItem, adjuster: str, now: datetime) -> str:
    if item.status != "open":
        return f"case {item.claim_id} was already decided by {item.decided_by}"
    if item.held_by_other(adjuster, now):
        return f"case {item.claim_id} is held by {item.held_by} until {item.held_until:%Y-%m-%d %H:%M} UTC"
    return f"case {item.claim_id} is not held by {adjuster}: take it first"


def _row(case: ClaimCase) -> dict[str, object]:
    decision = case.decision
    assert decision is not None
    due = decision.sla_due_at or decision.decided_at + timedelta(hours=SLA_HOURS[decision.priority])
    return {
        "claim_id": case.claim_id,
        "desk": decision.desk or "general",
        "priority": decision.priority,
        "sla_due_at": due,
        "queued_at": decision.decided_at,
        "status": "open",
        "recommendation": recommendation(case),
        "payable_limit": case.fnol.policy.sum_insured,
        **_facts(case),
    }


def _facts(case: ClaimCase) -> dict[str, object]:
    """The columns an adjuster sorts by, from the case's FNOL and its scores."""
    fnol, severity = case.fnol, case.severity
    return {
        "claimant": fnol.claimant.name,
        "line_of_business": fnol.line_of_business.value,
        "fraud_probability": case.fraud.probability if case.fraud else None,
        "expected_cost": severity.expected_cost if severity and severity.currency == fnol.policy.currency else None,
        "claimed_amount": fnol.loss.claimed_amount,
        "currency": fnol.policy.currency,
    }


def _item(row: RowMapping) -> QueueItem:
    values: dict[str, Any] = {k: _aware(v) if isinstance(v, datetime) else v for k, v in row.items()}
    return QueueItem(**values)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
