"""Intake over HTTP: validate an FNOL, store its documents, hand it to the inbound topic.

The HTTP path and the inbound topic meet in one place: the intake stage (handler.py) reads
claims.fnol.inbound.v1 and accepts each claim once. The API only refuses what it can see is
wrong (422 for a malformed FNOL, 409 for a claim id already taken by other content), and answers 202 only once
the broker has the FNOL: while the broker is away it answers 503, and the sender keeps the claim to send again.
Every endpoint but /healthz, /metrics and the docs admits only intake systems (security.py); the docs' pages and
their scripts are served from the package (fastapi-offline), so /docs and /redoc work without the internet.
"""

# No `from __future__ import annotations`: FastAPI must see the local Annotated alias of the intake system.
import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi_offline import FastAPIOffline
from opentelemetry import trace
from opentelemetry.propagate import inject
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from services.core import topics
from services.core.auth import Principal
from services.core.bus.port import Outgoing, Publisher, TransientBusError
from services.core.events import FNOL, DocumentRef, Route
from services.core.http_metrics import serve_metrics
from services.core.runner import utcnow
from services.core.store import ClaimView
from services.intake.checks import dated_in_the_future
from services.intake.forms import DocumentSink, fnol_from_request
from services.intake.security import Authenticate


class Receipts(Protocol):
    def record_receipt(self, claim_id: str, digest: str) -> str: ...

    def view(self, claim_id: str) -> ClaimView | None: ...


class Admission(Protocol):
    """How an FNOL the API accepts is noted and handed on, and how its claim is looked up."""

    async def admit(self, record: Outgoing, digest: str) -> str:
        """Note the receipt of `record` (an FNOL on the inbound topic) and publish it unless its claim id is held by
        other content; the digest held for the claim id. Raises TransientBusError when the bus did not take it."""
        ...

    def view(self, claim_id: str) -> ClaimView | None: ...


class ThreadedAdmission:
    """The receipt, then the publish, in a worker thread: both block (the publish waits for the broker's
    acknowledgement, up to the producer's message timeout while the broker restarts)."""

    def __init__(self, receipts: Receipts, publisher: Publisher) -> None:
        self.receipts, self.publisher = receipts, publisher

    async def admit(self, record: Outgoing, digest: str) -> str:
        return await run_in_threadpool(self._note_and_publish, record, digest)

    def _note_and_publish(self, record: Outgoing, digest: str) -> str:
        held = self.receipts.record_receipt(record.key, digest)
        if held == digest:
            self.publisher.publish([record])
        return held

    def view(self, claim_id: str) -> ClaimView | None:
        return self.receipts.view(claim_id)


class Accepted(BaseModel):
    claim_id: str
    status_url: str
    documents: list[DocumentRef]


class StageTime(BaseModel):
    stage: str
    recorded_at: datetime


class ClaimStatus(BaseModel):
    """Where a claim is, without the personal data of its case (the adjuster API serves that, by role)."""

    claim_id: str
    status: str = Field(description="received, then the status of each stage it passed: accepted ... decided.")
    route: Route | None = Field(description="straight_through or adjuster, once decided.")
    desk: str | None = Field(description="The adjuster desk the claim was routed to, if any.")
    decided_at: datetime | None = Field(description="When the router decided the claim.")
    stages: list[StageTime]


FNOL_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/FNOL"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["fnol"],
                    "properties": {
                        "fnol": {
                            "type": "string",
                            "description": "The FNOL as JSON (schema FNOL), as a text field or a file part.",
                        },
                        "documents": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        },
    }
}
REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token: send one with the intake_system role"},
    403: {"description": "The token lacks the intake_system role"},
}
SUBMIT_REFUSALS: dict[int | str, dict[str, Any]] = {
    **REFUSALS,
    409: {"description": "Claim id already accepted with different content"},
    413: {"description": "A document is larger than allowed"},
    422: {"description": "Malformed FNOL: each bad field is named, with what to change"},
    503: {
        "description": "The FNOL could not be handed to the broker: not accepted, send it "
        "again (the Retry-After header says when)"
    },
}


def create_app(
    *,
    admission: Admission,
    documents: DocumentSink,
    max_document_bytes: int,
    authenticate: Authenticate,
    clock: Callable[[], datetime] = utcnow,
    registry: CollectorRegistry | None = None,
) -> FastAPI:
    """The intake API; every dependency is passed in by the composition root, the way intake systems are let in
    too (`authenticate`: security.bearer_token or security.client_certificate). Prometheus metrics at /metrics."""
    app = FastAPIOffline(
        title="Claims triage intake",
        version="1",
        description="First notice of loss (FNOL) intake for claims triage.",
        swagger_ui_parameters={"validatorUrl": None},  # Swagger UI's default validator badge is fetched online
    )
    serve_metrics(app, registry or CollectorRegistry(), "intake")
    IntakeSystem = Annotated[Principal, Depends(authenticate)]
    submit = _submitter(admission, clock)

    @app.post(
        "/v1/fnol",
        status_code=202,
        response_model=Accepted,
        openapi_extra=FNOL_BODY,
        responses=SUBMIT_REFUSALS,
    )
    async def submit_fnol(request: Request, who: IntakeSystem) -> Accepted:
        fnol, loc = await fnol_from_request(request, documents, max_document_bytes)
        return await submit(fnol, loc, who)

    @app.get(
        "/v1/claims/{claim_id}",
        response_model=ClaimStatus,
        responses={**REFUSALS, 404: {"description": "Unknown claim"}},
    )
    def claim_status(claim_id: str, who: IntakeSystem) -> ClaimStatus:
        view = admission.view(claim_id)
        if view is None:
            raise HTTPException(404, f"no claim {claim_id}: check the claim_id (POST /v1/fnol answers it with 202)")
        return status_of(view)

    @app.get("/healthz")  # unauthenticated on purpose: load balancers probe it
    def health() -> dict[str, str]:
        return {"status": "ok"}

    _publish_fnol_schema(app)
    return app


def status_of(view: ClaimView) -> ClaimStatus:
    """The claim's progress and routing, and nothing of its FNOL."""
    decision = view.case.decision if view.case else None
    return ClaimStatus(
        claim_id=view.claim_id,
        status=view.status,
        route=decision.route if decision else None,
        desk=decision.desk if decision else None,
        decided_at=decision.decided_at if decision else None,
        stages=[StageTime(stage=s, recorded_at=t) for s, t in view.stages],
    )


def _submitter(
    admission: Admission, clock: Callable[[], datetime]
) -> Callable[[FNOL, tuple[str, ...], Principal], Awaitable[Accepted]]:
    tracer = trace.get_tracer("claims-triage.intake")

    async def submit(fnol: FNOL, loc: tuple[str, ...], who: Principal) -> Accepted:
        wrong = dated_in_the_future(fnol, clock())
        if wrong:
            raise RequestValidationError(
                [{"loc": (*loc, *where), "msg": message, "type": "datetime_past"} for where, message in wrong]
            )
        body = fnol.cached_json().encode()  # made once: the intake stage's digest and case reuse it
        digest = hashlib.sha256(body).hexdigest()  # fnol_digest, of the JSON that is published
        # A repeat with the same content is published again: the intake stage accepts it once.
        with tracer.start_as_current_span(
            "intake-api submit",
            kind=trace.SpanKind.SERVER,
            attributes={"claim.id": fnol.claim_id, "intake.system": who.subject},
        ):
            carrier: dict[str, str] = {}
            inject(carrier)  # the trace follows the claim onto the inbound topic
            headers = tuple((k, v.encode()) for k, v in carrier.items())
            record = Outgoing(topics.FNOL_INBOUND, fnol.claim_id, body, headers)
            try:
                held = await admission.admit(record, digest)
            except TransientBusError as exc:
                raise HTTPException(
                    503,
                    f"claim {fnol.claim_id} not accepted: the broker did not take it ({exc}); send it again",
                    headers={"Retry-After": "5"},
                ) from exc
        if held != digest:
            raise HTTPException(
                409,
                f"claim {fnol.claim_id} was already submitted with different content: a new claim needs a new "
                "claim_id; a repeat must be the same FNOL, documents included",
            )
        return Accepted(claim_id=fnol.claim_id, status_url=f"/v1/claims/{fnol.claim_id}", documents=fnol.documents)

    return submit


def _publish_fnol_schema(app: FastAPI) -> None:
    """Put the FNOL JSON Schema into the OpenAPI components that the request body refers to."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        fnol = FNOL.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(fnol.pop("$defs", {}))
        components["FNOL"] = fnol
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's way to extend its schema
