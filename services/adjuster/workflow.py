"""The adjuster's service layer: list, take, decide and reassign queue cases, shared by the JSON API and the pages.

A decision is checked before anything is written; then the decision, its audit entry and its label for
claims.feedback.v1 commit in one transaction, and the label goes to the bus through the outbox (at once, or once
the broker is back). A refused action raises a domain error (UnknownCase, NotHeld, InvalidDecision) that the
HTTP side translates (services/adjuster/refusals.py); nothing here knows HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy import Connection

from services.adjuster.decisions import DecisionForm, action_entry, check, feedback
from services.adjuster.listing import SlaState
from services.adjuster.metrics import DeskMetrics
from services.adjuster.outbox import Outbox
from services.adjuster.queue import NotHeld, QueueItem, QueueStore, UnknownCase
from services.core import topics
from services.core.audit import AuditEntry
from services.core.auth import Principal
from services.core.bus.port import Outgoing
from services.core.database import writing
from services.core.events import ClaimCase
from services.core.store import ClaimView

log = logging.getLogger(__name__)


class CaseViews(Protocol):
    def view(self, claim_id: str) -> ClaimView | None: ...


class AuditTrail(Protocol):
    def append(self, entries: list[AuditEntry], *, conn: Connection | None = None) -> int: ...

    def entries(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        claim_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]: ...

    def count(self, start: datetime | None = None, end: datetime | None = None, claim_id: str | None = None) -> int: ...


class NoteRefused(ValueError):
    """A note that cannot be kept (empty or too long); the message says which."""


NOTE_LIMIT = 4000


class QueueEntry(BaseModel):
    """A queue case as the API answers it and the pages show it."""

    claim_id: str
    desk: str
    priority: int
    queued_at: datetime
    sla_due_at: datetime
    sla_state: SlaState
    status: str
    recommendation: str
    payable_limit: float
    held_by: str | None
    held_until: datetime | None
    decision: str | None
    amount: float | None
    reason: str | None
    decided_by: str | None
    claimant: str | None
    line_of_business: str | None
    fraud_probability: float | None
    expected_cost: float | None
    claimed_amount: float | None
    currency: str | None


class Workflow:
    """The queue actions. Each action and its audit entry commit together (queue, audit log and outbox share the
    claim store's database)."""

    def __init__(
        self,
        *,
        queue: QueueStore,
        cases: CaseViews,
        audit: AuditTrail,
        feedback: Outbox,
        clock: Callable[[], datetime],
        hold: timedelta,
        metrics: DeskMetrics,
    ) -> None:
        self.queue, self.cases, self.audit, self.feedback = queue, cases, audit, feedback
        self.clock, self.hold, self.metrics = clock, hold, metrics

    def entry(self, item: QueueItem) -> QueueEntry:
        return QueueEntry(
            **{name: getattr(item, name) for name in QueueEntry.model_fields if name != "sla_state"},
            sla_state=item.sla_state(self.clock()),
        )

    def item(self, claim_id: str) -> QueueItem:
        item = self.queue.get(claim_id)
        if item is None:
            raise UnknownCase(f"no case {claim_id} in the queue")
        return item

    def case(self, claim_id: str) -> ClaimCase | None:
        view = self.cases.view(claim_id)
        return view.case if view else None

    def take(self, claim_id: str, who: Principal) -> QueueItem:
        now = self.clock()
        with writing(self.queue.engine) as conn:
            item = self.queue.take(claim_id, who.subject, now, self.hold, conn=conn)
            self.audit.append(
                [action_entry("human_take", item, who.subject, now, {"claim_id": claim_id}, [])], conn=conn
            )
        return item

    def history(self, claim_id: str) -> list[dict[str, Any]]:
        """Every audit entry of the claim, in chain order: what the models, the router and people did."""
        return self.audit.entries(claim_id=claim_id)

    def note(self, claim_id: str, text: str, who: Principal) -> None:
        """Keep an adjuster's note on the case in the audit log (hash-chained like every decision)."""
        text = text.strip()
        if not text or len(text) > NOTE_LIMIT:
            raise NoteRefused(f"a note has 1 to {NOTE_LIMIT} characters, not {len(text)}")
        item, now = self.item(claim_id), self.clock()
        entry = action_entry("human_note", item, who.subject, now, {"claim_id": claim_id, "note": text}, [text])
        with writing(self.queue.engine) as conn:
            self.audit.append([entry], conn=conn)

    def reassign(self, claim_id: str, to: str, who: Principal) -> QueueItem:
        now = self.clock()
        with writing(self.queue.engine) as conn:
            item = self.queue.reassign(claim_id, to, now, self.hold, conn=conn)
            entry = action_entry(
                "human_reassign",
                item,
                who.subject,
                now,
                {"claim_id": claim_id, "to": to},
                [f"reassigned to {to} by {who.subject}"],
            )
            self.audit.append([entry], conn=conn)
        return item

    def decide(self, claim_id: str, form: DecisionForm, who: Principal) -> QueueItem:
        now = self.clock()
        item = self.item(claim_id)
        if item.status == "open" and item.held_by_other(who.subject, now):
            raise NotHeld(f"case {claim_id} is held by {item.held_by}")
        check(form, item)
        case = self.case(claim_id)
        with writing(self.queue.engine) as conn:
            item = self.queue.decide(
                claim_id,
                who.subject,
                now,
                decision=form.outcome.value,
                amount=form.amount,
                reason=form.reason,
                conn=conn,
            )
            reasons = [form.reason] if form.reason else []
            entry = action_entry("human_decision", item, who.subject, now, form.model_dump(mode="json"), reasons)
            self.audit.append([entry], conn=conn)
            label = feedback(item, case, now)
            self.feedback.add(
                [Outgoing(topics.FEEDBACK, claim_id, label.model_dump_json().encode())], conn=conn, now=now
            )
        self.metrics.decisions.labels(form.outcome.value).inc()
        self._relay(claim_id)
        return item

    def _relay(self, claim_id: str) -> None:
        try:
            self.feedback.relay(wait=False)  # a relay already running sends this label too
        except Exception as exc:  # noqa: BLE001 - the decision stands; the outbox's background relay sends it later
            self.metrics.relay_failures.inc()
            log.warning(
                "decision on %s recorded; its label waits in the outbox for the bus: %s",
                claim_id,
                exc,
                extra={"claim_id": claim_id},
            )
