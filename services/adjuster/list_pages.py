"""The list pages: the adjusters' queue (sorted, filtered, paged) and the auditors' decision log (paged)."""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.adjuster import security
from services.adjuster.casefile import case_file
from services.adjuster.listing import QueueFilter, SlaState, SortKey
from services.adjuster.paging import Paging
from services.adjuster.templating import templates
from services.adjuster.workflow import Workflow
from services.core.auth import Principal

QUEUE_PAGE, LOG_PAGE = 25, 50


def add_list_pages(app: FastAPI, flow: Workflow, token_secret: str) -> None:
    """GET /queue (adjusters, supervisors) and GET /audit (auditors, supervisors)."""
    Worker = Annotated[Principal, Depends(security.requires(token_secret, *security.WORK_QUEUE))]
    Auditor = Annotated[Principal, Depends(security.requires(token_secret, *security.AUDIT))]

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(
        request: Request,
        who: Worker,
        desk: str | None = None,
        sla: SlaState | None = None,
        line: str | None = None,
        mine: bool = False,
        sort: SortKey = SortKey.URGENCY,
        desc: bool = False,
        page: Annotated[int, Query(ge=1)] = 1,
    ) -> Response:
        now = flow.clock()
        shown = QueueFilter(desk=desk or None, sla=sla, line=line or None, held_by=who.subject if mine else None)
        paging = Paging(page, QUEUE_PAGE, flow.queue.count(shown, now))
        items = flow.queue.list(
            now=now,
            desk=shown.desk,
            sla=sla,
            line=shown.line,
            held_by=shown.held_by,
            sort=sort,
            descending=desc,
            limit=QUEUE_PAGE,
            offset=paging.offset,
        )
        chosen = {"desk": desk or "", "sla": sla.value if sla else "", "line": line or "", "mine": mine}
        context = {
            "sort_links": {key: _queue_url(chosen, key, _next_desc(key, sort, desc)) for key in SortKey},
            "page_link": lambda n: _queue_url(chosen, sort, desc, n),
            "who": who,
            "now": now,
            "items": [flow.entry(i) for i in items],
            "counts": flow.queue.counts(),
            "chosen": chosen,
            "sort": sort.value,
            "desc": desc,
            "paging": paging,
            "decided": request.query_params.get("decided"),
        }
        return templates.TemplateResponse(request, "queue.html", context)

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request, who: Auditor, claim_id: str | None = None, page: Annotated[int, Query(ge=1)] = 1
    ) -> Response:
        claim = claim_id.strip() if claim_id and claim_id.strip() else None
        paging = Paging(page, LOG_PAGE, flow.audit.count(claim_id=claim))
        rows = flow.audit.entries(claim_id=claim, limit=LOG_PAGE, offset=paging.offset, newest_first=True)
        context = {"who": who, "events": case_file(None, rows).history, "claim_id": claim or "", "paging": paging}
        return templates.TemplateResponse(request, "audit.html", context)


def _queue_url(chosen: dict[str, Any], sort: SortKey, desc: bool, page: int = 1) -> str:
    """The queue page with the same filters, sorted by `sort`, at `page`."""
    query = {k: ("true" if v is True else v) for k, v in chosen.items() if v}
    return "/queue?" + urlencode({**query, "sort": sort.value, "desc": str(desc).lower(), "page": page})


def _next_desc(key: SortKey, sort: SortKey, desc: bool) -> bool:
    """A click on the sorted column turns its order round; another column starts with the largest scores first."""
    return not desc if key is sort else key in (SortKey.FRAUD, SortKey.COST, SortKey.CLAIMED)
