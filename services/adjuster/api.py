"""The adjuster queue API: list, take, decide, reassign; the decision log for auditors; labels.

Every dependency is passed in by the composition root. A decision is checked before anything is
written; then the decision, its audit entry and its label for claims.feedback.v1 commit in one
transaction, and the label goes to the bus through the outbox (at once, or once the broker is back).
"""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from services.adjuster import security
from services.adjuster.compliance_pages import ComplianceViews
from services.adjuster.decisions import DecisionForm, InvalidDecision, action_entry, check, feedback
from services.adjuster.metrics import DeskMetrics
from services.core import topics
from services.core.audit import AuditEntry
from services.core.auth import Principal
from services.core.bus.port import Outgoing
from services.core.database import writing
from services.core.events import ClaimCase
from services.core.http_metrics import serve_metrics
from services.core.outbox import Outbox
from services.core.queue import NotHeld, QueueItem, QueueStore, SlaState, UnknownCase
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
    ) -> list[dict[str, Any]]: ...


class Reassignment(BaseModel):
    adjuster: str = Field(min_length=1, max_length=200)


class QueueEntry(BaseModel):
    claim_id: str
    desk: str
    priority: int
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


class CaseDetail(BaseModel):
    queue: QueueEntry
    case: ClaimCase | None


class Workflow:
    """The queue actions, shared by the JSON API and the pages. Each action and its audit entry commit together
    (queue, audit log and outbox share the claim store's database)."""

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
            raise HTTPException(404, f"no case {claim_id} in the queue")
        return item

    def case(self, claim_id: str) -> ClaimCase | None:
        view = self.cases.view(claim_id)
        return view.case if view else None

    def take(self, claim_id: str, who: Principal) -> QueueItem:
        now = self.clock()
        with writing(self.queue.engine) as conn:
            item = _refusing(lambda: self.queue.take(claim_id, who.subject, now, self.hold, conn=conn))
            self.audit.append(
                [action_entry("human_take", item, who.subject, now, {"claim_id": claim_id}, [])], conn=conn
            )
        return item

    def reassign(self, claim_id: str, to: str, who: Principal) -> QueueItem:
        now = self.clock()
        with writing(self.queue.engine) as conn:
            item = _refusing(lambda: self.queue.reassign(claim_id, to, now, self.hold, conn=conn))
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
            raise HTTPException(409, f"case {claim_id} is held by {item.held_by}")
        try:
            check(form, item)
        except InvalidDecision as exc:
            raise HTTPException(422, str(exc)) from exc
        case = self.case(claim_id)
        with writing(self.queue.engine) as conn:
            item = _refusing(
                lambda: self.queue.decide(
                    claim_id,
                    who.subject,
                    now,
                    decision=form.outcome.value,
                    amount=form.amount,
                    reason=form.reason,
                    conn=conn,
                )
            )
            self.audit.append(
                [
                    action_entry(
                        "human_decision",
                        item,
                        who.subject,
                        now,
                        form.model_dump(mode="json"),
                        [form.reason] if form.reason else [],
                    )
                ],
                conn=conn,
            )
            label = feedback(item, case, now)
            self.feedback.add(
                [Outgoing(topics.FEEDBACK, claim_id, label.model_dump_json().encode())], conn=conn, now=now
            )
        self.metrics.decisions.labels(form.outcome.value).inc()
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
        return item


def _relaying(outbox: Outbox, interval_s: float, metrics: DeskMetrics) -> Callable[[FastAPI], Any]:
    """The app's lifespan: the outbox relayed on a thread of its own while the app serves."""

    def failed(_: Exception) -> None:
        metrics.relay_failures.inc()

    @asynccontextmanager
    async def relaying(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        relay = threading.Thread(
            target=outbox.relay_until, args=(stop, interval_s, failed), name="outbox-relay", daemon=True
        )
        relay.start()
        yield
        stop.set()
        relay.join()

    return relaying


def _refusing(action: Callable[[], QueueItem]) -> QueueItem:
    try:
        return action()
    except UnknownCase as exc:
        raise HTTPException(404, str(exc)) from exc
    except NotHeld as exc:
        raise HTTPException(409, str(exc)) from exc


def create_app(
    *,
    queue: QueueStore,
    cases: CaseViews,
    audit: AuditTrail,
    feedback: Outbox,
    token_secret: str,
    clock: Callable[[], datetime],
    hold: timedelta = timedelta(minutes=30),
    compliance: ComplianceViews | None = None,
    relay_interval_s: float = 5.0,
    registry: CollectorRegistry | None = None,
) -> FastAPI:
    """The adjuster API and pages; every dependency is passed in by the composition root (`feedback`: the outbox
    the labels go through, relayed every `relay_interval_s` while the app runs; `compliance`: the compliance report
    and model inventory behind the auditor pages; without it those pages answer 404). Prometheus metrics at
    /metrics."""
    from services.adjuster.compliance_pages import add_compliance
    from services.adjuster.pages import add_pages

    registry = registry or CollectorRegistry()
    metrics = DeskMetrics(registry, feedback)
    app = FastAPI(
        title="Claims triage adjuster queue", version="1", lifespan=_relaying(feedback, relay_interval_s, metrics)
    )
    serve_metrics(app, registry, "adjuster")
    flow = Workflow(queue=queue, cases=cases, audit=audit, feedback=feedback, clock=clock, hold=hold, metrics=metrics)

    def role(*roles: security.Role) -> Any:
        return Depends(security.requires(token_secret, *roles))

    Reader = Annotated[Principal, role(*security.READ_CASE)]
    Worker = Annotated[Principal, role(*security.WORK_QUEUE)]
    Supervisor = Annotated[Principal, role(*security.SUPERVISE)]
    Auditor = Annotated[Principal, role(*security.AUDIT)]
    Scientist = Annotated[Principal, role(*security.LABELS)]

    @app.get("/v1/queue", response_model=list[QueueEntry])
    def list_queue(
        _: Worker,
        desk: str | None = None,
        priority: Annotated[int | None, Query(ge=1, le=5)] = None,
        sla: SlaState | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> list[QueueEntry]:
        items = queue.list(now=clock(), desk=desk, priority=priority, sla=sla, limit=limit)
        return [flow.entry(i) for i in items]

    @app.get("/v1/cases/{claim_id}", response_model=CaseDetail)
    def get_case(claim_id: str, _: Reader) -> CaseDetail:
        return CaseDetail(queue=flow.entry(flow.item(claim_id)), case=flow.case(claim_id))

    @app.post("/v1/cases/{claim_id}/take", response_model=QueueEntry)
    def take(claim_id: str, who: Worker) -> QueueEntry:
        return flow.entry(flow.take(claim_id, who))

    @app.post("/v1/cases/{claim_id}/decision", response_model=QueueEntry)
    def decide(claim_id: str, form: DecisionForm, who: Worker) -> QueueEntry:
        return flow.entry(flow.decide(claim_id, form, who))

    @app.post("/v1/cases/{claim_id}/reassign", response_model=QueueEntry)
    def reassign(claim_id: str, body: Reassignment, who: Supervisor) -> QueueEntry:
        return flow.entry(flow.reassign(claim_id, body.adjuster, who))

    @app.get("/v1/audit")
    def decision_log(
        _: Auditor,
        claim_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> JSONResponse:
        rows = audit.entries(since, until, claim_id=claim_id, limit=limit)
        return JSONResponse([{**r, "recorded_at": r["recorded_at"].isoformat()} for r in rows])

    @app.get("/v1/labels", response_model=list[QueueEntry])
    def labels(_: Scientist, limit: Annotated[int, Query(ge=1, le=500)] = 500) -> list[QueueEntry]:
        return [flow.entry(i) for i in queue.list(now=clock(), status="decided", limit=limit)]

    @app.get("/healthz")  # unauthenticated on purpose: load balancers probe it
    def health() -> dict[str, str]:
        return {"status": "ok"}

    add_pages(app, flow, token_secret)
    add_compliance(app, compliance, token_secret, clock)
    return app
