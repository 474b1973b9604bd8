"""Intake over HTTP: validate an FNOL, store its documents, hand it to the inbound topic.

The HTTP path and the inbound topic meet in one place: the intake stage (handler.py) reads
claims.fnol.inbound.v1 and accepts each claim once. The API only refuses what it can see is
wrong (422 for a malformed FNOL, 409 for a claim id already taken by other content), and answers 202 only once
the broker has the FNOL: while the broker is away it answers 503, and the sender keeps the claim to send again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from opentelemetry import trace
from opentelemetry.propagate import inject
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from services.core import topics
from services.core.bus.port import Outgoing, Publisher, TransientBusError
from services.core.events import FNOL, ClaimCase, DocumentRef
from services.core.http_metrics import serve_metrics
from services.core.store import ClaimView, fnol_digest


class Receipts(Protocol):
    def record_receipt(self, claim_id: str, digest: str) -> str: ...

    def view(self, claim_id: str) -> ClaimView | None: ...


class DocumentSink(Protocol):
    def put(self, content: bytes) -> str: ...


class Accepted(BaseModel):
    claim_id: str
    status_url: str
    documents: list[DocumentRef]


class StageTime(BaseModel):
    stage: str
    recorded_at: datetime


class ClaimStatus(BaseModel):
    claim_id: str
    status: str
    stages: list[StageTime]
    case: ClaimCase | None


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
                        "fnol": {"type": "string", "description": "The FNOL as JSON (schema FNOL)."},
                        "documents": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        },
    }
}


def create_app(
    *,
    publisher: Publisher,
    receipts: Receipts,
    documents: DocumentSink,
    max_document_bytes: int,
    registry: CollectorRegistry | None = None,
) -> FastAPI:
    """The intake API; every dependency is passed in by the composition root. Prometheus metrics at /metrics."""
    app = FastAPI(
        title="Claims triage intake", version="1", description="First notice of loss (FNOL) intake for claims triage."
    )
    registry = registry or CollectorRegistry()
    tracer = trace.get_tracer("claims-triage.intake")
    serve_metrics(app, registry, "intake")

    @app.post(
        "/v1/fnol",
        status_code=202,
        response_model=Accepted,
        openapi_extra=FNOL_BODY,
        responses={
            409: {"description": "Claim id already accepted with different content"},
            413: {"description": "A document is larger than allowed"},
            422: {"description": "Malformed FNOL: each bad field is named"},
            503: {
                "description": "The FNOL could not be handed to the broker: not accepted, send it "
                "again (the Retry-After header says when)"
            },
        },
    )
    async def submit_fnol(request: Request) -> Accepted:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            fnol = await _fnol_from_multipart(request, documents, max_document_bytes)
        else:
            fnol = _parse_fnol(await request.body(), ("body",))
        # The store write and the publish (which waits for the broker's acknowledgement, up to the producer's
        # message timeout while the broker restarts) block: in a worker thread, other requests go on meanwhile.
        digest = fnol_digest(fnol)
        held = await run_in_threadpool(receipts.record_receipt, fnol.claim_id, digest)
        if held != digest:
            raise HTTPException(409, f"claim {fnol.claim_id} was already submitted with different content")
        # A repeat with the same content is published again: the intake stage accepts it once.
        with tracer.start_as_current_span(
            "intake-api submit", kind=trace.SpanKind.SERVER, attributes={"claim.id": fnol.claim_id}
        ):
            carrier: dict[str, str] = {}
            inject(carrier)  # the trace follows the claim onto the inbound topic
            headers = tuple((k, v.encode()) for k, v in carrier.items())
            record = Outgoing(topics.FNOL_INBOUND, fnol.claim_id, fnol.model_dump_json().encode(), headers)
            try:
                await run_in_threadpool(publisher.publish, [record])
            except TransientBusError as exc:
                raise HTTPException(
                    503,
                    f"claim {fnol.claim_id} not accepted: the broker did not take it ({exc}); send it again",
                    headers={"Retry-After": "5"},
                ) from exc
        return Accepted(claim_id=fnol.claim_id, status_url=f"/v1/claims/{fnol.claim_id}", documents=fnol.documents)

    @app.get("/v1/claims/{claim_id}", response_model=ClaimStatus, responses={404: {"description": "Unknown claim"}})
    def claim_status(claim_id: str) -> ClaimStatus:
        view = receipts.view(claim_id)
        if view is None:
            raise HTTPException(404, f"no claim {claim_id}")
        stages = [StageTime(stage=s, recorded_at=t) for s, t in view.stages]
        return ClaimStatus(claim_id=view.claim_id, status=view.status, stages=stages, case=view.case)

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    _publish_fnol_schema(app)
    return app


def _parse_fnol(raw: bytes | str, loc: tuple[str, ...]) -> FNOL:
    try:
        return FNOL.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(_named_errors(exc, loc)) from exc


def _named_errors(exc: ValidationError, loc: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each bad field by location, message and type; not the input, which may be bytes that are not JSON."""
    return [{"loc": (*loc, *e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors(include_url=False)]


async def _fnol_from_multipart(request: Request, sink: DocumentSink, max_bytes: int) -> FNOL:
    form = await request.form()
    raw = form.get("fnol")
    if not isinstance(raw, str):
        raise RequestValidationError([{"loc": ("body", "fnol"), "msg": "Field required", "type": "missing"}])
    fnol = _parse_fnol(raw, ("body", "fnol"))
    refs = list(fnol.documents)
    for upload in form.getlist("documents"):
        if isinstance(upload, str):
            raise RequestValidationError(
                [{"loc": ("body", "documents"), "msg": "Expected a file", "type": "value_error"}]
            )
        refs.append(await _store_upload(upload, sink, max_bytes))
    try:
        return FNOL.model_validate({**fnol.model_dump(), "documents": refs})
    except ValidationError as exc:  # e.g. too many documents
        raise RequestValidationError(_named_errors(exc, ("body",))) from exc


async def _store_upload(upload: UploadFile, sink: DocumentSink, max_bytes: int) -> DocumentRef:
    content = await upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise HTTPException(413, f"document {upload.filename} is larger than {max_bytes} bytes")
    return DocumentRef(
        sha256=await run_in_threadpool(sink.put, content),
        filename=upload.filename or "document",
        media_type=upload.content_type or "application/octet-stream",
        size_bytes=len(content),
    )


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
