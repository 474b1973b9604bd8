"""Server-rendered pages: the queue and a case for adjusters, the decision log for auditors."""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from services.adjuster import security
from services.adjuster.decisions import DecisionForm
from services.adjuster.queue import SlaState
from services.adjuster.refusals import REFUSED, http_error
from services.adjuster.sessions import CSRF_FIELD
from services.adjuster.templating import templates
from services.adjuster.workflow import Workflow
from services.core.auth import Principal, Role


def add_pages(app: FastAPI, flow: Workflow, token_secret: str) -> None:
    """The HTML pages, on the same roles as the API behind them."""

    def role(*roles: Role) -> Any:
        return Depends(security.requires(token_secret, *roles))

    Reader = Annotated[Principal, role(*security.READ_CASE)]
    Worker = Annotated[Principal, role(*security.WORK_QUEUE)]
    Auditor = Annotated[Principal, role(*security.AUDIT)]

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(request: Request, who: Worker, desk: str | None = None, sla: SlaState | None = None) -> Response:
        items = flow.queue.list(now=flow.clock(), desk=desk or None, sla=sla, limit=200)
        return templates.TemplateResponse(
            request,
            "queue.html",
            {
                "who": who,
                "items": [flow.entry(i) for i in items],
                "counts": flow.queue.counts(),
                "desk": desk,
                "sla": sla.value if sla else "",
                "decided": request.query_params.get("decided"),
            },
        )

    @app.get("/cases/{claim_id}", response_class=HTMLResponse)
    def case_page(request: Request, claim_id: str, who: Reader) -> Response:
        return _case(request, flow, claim_id, who)

    @app.post("/cases/{claim_id}/take")
    def take_page(request: Request, claim_id: str, who: Worker) -> Response:
        try:
            flow.take(claim_id, who)
        except REFUSED as exc:
            return _case(request, flow, claim_id, who, http_error(exc))
        return RedirectResponse(f"/cases/{claim_id}", status_code=303)

    @app.post("/cases/{claim_id}/decision")
    async def decide_page(request: Request, claim_id: str, who: Worker) -> Response:
        form = (await request.form()).items()
        raw = {k: v for k, v in form if isinstance(v, str) and v.strip() and k != CSRF_FIELD}  # checked already
        # Store writes and the feedback publish block: in a worker thread, as FastAPI runs the pages' plain handlers.
        return await run_in_threadpool(_decide, request, flow, claim_id, who, raw)

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(request: Request, who: Auditor, claim_id: str | None = None) -> Response:
        rows = flow.audit.entries(claim_id=claim_id or None, limit=500)
        return templates.TemplateResponse(request, "audit.html", {"who": who, "rows": rows, "claim_id": claim_id or ""})


def _decide(request: Request, flow: Workflow, claim_id: str, who: Principal, raw: dict[str, str]) -> Response:
    try:
        flow.decide(claim_id, DecisionForm.model_validate(raw), who)
    except ValidationError as exc:
        return _case(
            request,
            flow,
            claim_id,
            who,
            HTTPException(422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())),
        )
    except REFUSED as exc:
        return _case(request, flow, claim_id, who, http_error(exc))
    return RedirectResponse(f"/queue?decided={claim_id}", status_code=303)


def _case(
    request: Request, flow: Workflow, claim_id: str, who: Principal, error: HTTPException | None = None
) -> Response:
    item = flow.item(claim_id)
    context = {
        "who": who,
        "item": flow.entry(item),
        "case": flow.case(claim_id),
        "holds": item.held_by == who.subject and item.status == "open",
        "error": error.detail if error else None,
    }
    return templates.TemplateResponse(request, "case.html", context, status_code=error.status_code if error else 200)
