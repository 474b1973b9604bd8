"""Server-rendered pages: sign-in, and the case page with its forms (take, decide, note); the queue and the decision
log are in list_pages.py, documents in document_pages.py."""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from services.adjuster import security
from services.adjuster.casefile import case_file
from services.adjuster.decisions import DecisionForm
from services.adjuster.list_pages import add_list_pages
from services.adjuster.refusals import REFUSED, http_error
from services.adjuster.sessions import CSRF_FIELD
from services.adjuster.templating import ASSETS, templates
from services.adjuster.workflow import Workflow
from services.core.auth import Principal, Role


def add_pages(app: FastAPI, flow: Workflow, token_secret: str) -> None:
    """The HTML pages, on the same roles as the API behind them."""

    def role(*roles: Role) -> Any:
        return Depends(security.requires(token_secret, *roles))

    app.mount("/assets", StaticFiles(directory=ASSETS), name="assets")
    Reader = Annotated[Principal, role(*security.READ_CASE)]
    Worker = Annotated[Principal, role(*security.WORK_QUEUE)]
    add_list_pages(app, flow, token_secret)

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

    @app.post("/cases/{claim_id}/notes")
    async def note_page(request: Request, claim_id: str, who: Worker) -> Response:
        text = str((await request.form()).get("note", ""))
        try:
            await run_in_threadpool(flow.note, claim_id, text, who)
        except REFUSED as exc:
            return _case(request, flow, claim_id, who, http_error(exc))
        return RedirectResponse(f"/cases/{claim_id}#notes", status_code=303)


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
    item, case = flow.queue.get(claim_id), flow.case(claim_id)
    if item is None and case is None:
        raise HTTPException(404, f"no claim {claim_id}")
    context = {
        "who": who,
        "now": flow.clock(),
        "item": flow.entry(item) if item else None,
        "file": case_file(case, flow.history(claim_id)),
        "holds": item is not None and item.held_by == who.subject and item.status == "open",
        "works": bool(who.roles & set(security.WORK_QUEUE)),
        "error": error.detail if error else None,
    }
    return templates.TemplateResponse(request, "case.html", context, status_code=error.status_code if error else 200)
