"""The adjuster queue API: list, take, decide, reassign; the decision log for auditors; labels.

Every dependency is passed in by the composition root. The actions themselves are the workflow's
(services/adjuster/workflow.py); its refusals answer as HTTP errors through services/adjuster/refusals.py.
"""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, Field

from services.adjuster import security
from services.adjuster.compliance_pages import ComplianceViews, add_compliance
from services.adjuster.decisions import DecisionForm
from services.adjuster.document_pages import DocumentSource, add_documents
from services.adjuster.links_pages import add_links_pages
from services.adjuster.listing import SlaState, SortKey
from services.adjuster.metrics import DeskMetrics
from services.adjuster.outbox import Outbox
from services.adjuster.pages import add_pages
from services.adjuster.queue import QueueStore
from services.adjuster.refusals import add_refusals
from services.adjuster.sessions import BrowserSessions, SignIn
from services.adjuster.signin import add_sign_in
from services.adjuster.workflow import AuditTrail, CaseViews, QueueEntry, Workflow
from services.core.auth import Principal, Role
from services.core.events import ClaimCase, LineOfBusiness
from services.core.http_metrics import serve_metrics

# The largest integer the store's databases hold (SQLite INTEGER, PostgreSQL bigint): beyond it a request is refused.
MAX_OFFSET = 2**63 - 1


class Reassignment(BaseModel):
    adjuster: str = Field(min_length=1, max_length=200)


class Note(BaseModel):
    note: str = Field(min_length=1, max_length=4000, description="Kept in the audit log with who wrote it and when.")


class CaseDetail(BaseModel):
    queue: QueueEntry
    case: ClaimCase | None


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
    sign_in: SignIn | None = None,
    documents: DocumentSource | None = None,
) -> FastAPI:
    """The adjuster API and pages; every dependency is passed in by the composition root (`feedback`: the outbox
    the labels go through, relayed every `relay_interval_s` while the app runs; `compliance`: the compliance report
    and model inventory behind the auditor pages; without it those pages answer 404; `sign_in`: the local users
    and identity provider people sign in with, else bearer tokens only; `documents`: the document store the case
    page shows documents from; without it they are listed by name only). Prometheus metrics at /metrics."""
    registry = registry or CollectorRegistry()
    metrics = DeskMetrics(registry, feedback)
    app = FastAPI(
        title="Claims triage adjuster queue", version="1", lifespan=_relaying(feedback, relay_interval_s, metrics)
    )
    serve_metrics(app, registry, "adjuster")
    app.add_middleware(BrowserSessions, secret=token_secret)
    add_refusals(app)
    flow = Workflow(queue=queue, cases=cases, audit=audit, feedback=feedback, clock=clock, hold=hold, metrics=metrics)

    def role(*roles: Role) -> Any:
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
        line: LineOfBusiness | None = None,
        sort: SortKey = SortKey.URGENCY,
        desc: bool = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> list[QueueEntry]:
        items = queue.list(
            now=clock(),
            desk=desk,
            priority=priority,
            sla=sla,
            line=line,  # a StrEnum: its value
            sort=sort,
            descending=desc,
            limit=limit,
            offset=offset,
        )
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

    add_sign_in(app, sign_in or SignIn())
    _add_notes(app, flow, Worker)
    add_pages(app, flow, token_secret)
    add_documents(app, flow, documents, token_secret)
    add_compliance(app, compliance, token_secret, clock)
    add_links_pages(app, cases, token_secret)
    return app


def _add_notes(app: FastAPI, flow: Workflow, worker: Any) -> None:
    """POST /v1/cases/{id}/notes: a note on the case, kept in the audit log."""

    @app.post("/v1/cases/{claim_id}/notes", status_code=201)
    def add_note(claim_id: str, body: Note, who: worker) -> dict[str, str]:
        flow.note(claim_id, body.note, who)
        return {"claim_id": claim_id, "note": body.note.strip(), "by": who.subject}
