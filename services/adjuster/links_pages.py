"""The special investigations view of a claim's links: its neighbourhood as an interactive graph (Cytoscape.js,
served from this package, no CDN) and the linked claims in a table.

Shared values (a phone number, an account) are personal data: adjusters and supervisors see them; an auditor
reads the same graph with each value masked to its kind.
"""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from services.adjuster import security
from services.adjuster.workflow import CaseViews
from services.core.auth import Principal, Role
from services.core.events import ClaimLinks

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
SEES_PERSONAL_DATA = frozenset({Role.ADJUSTER, Role.SUPERVISOR})


def shown(value: str, who: Principal) -> str:
    """The value for someone who may see personal data; a mask for anyone else."""
    return value if who.roles & SEES_PERSONAL_DATA else "•" * 6


def neighbourhood(claim_id: str, links: ClaimLinks, who: Principal) -> list[dict[str, Any]]:
    """Cytoscape elements: this claim, each shared entity, and the claims sharing it, with an edge per link."""
    elements: list[dict[str, Any]] = [{"data": {"id": claim_id, "label": claim_id, "kind": "this"}}]
    claims = {claim_id}
    strength = {c.claim_id: c.strength for c in links.linked_claims}
    fraud = set(links.fraud_claims)
    for i, entity in enumerate(links.entities):
        node = f"entity-{i}"
        label = f"{entity.kind.replace('_', ' ')}: {shown(entity.value, who)}"
        elements.append({"data": {"id": node, "label": label, "kind": "common" if entity.common else "entity"}})
        elements.append({"data": {"id": f"{node}-{claim_id}", "source": claim_id, "target": node}})
        for other in entity.claims:
            if other not in claims:
                claims.add(other)
                kind = "fraud" if other in fraud else "claim"
                elements.append(
                    {"data": {"id": other, "label": other, "kind": kind, "strength": strength.get(other, 0)}}
                )
            elements.append({"data": {"id": f"{node}-{other}", "source": other, "target": node}})
    return elements


def add_links_pages(app: FastAPI, cases: CaseViews, token_secret: str) -> None:
    """GET /links/{claim_id} (the page), /links/{claim_id}/graph (its elements), /links/static/cytoscape.min.js."""
    Reader = Annotated[Principal, Depends(security.requires(token_secret, *security.READ_CASE))]

    def links_of(claim_id: str) -> ClaimLinks:
        view = cases.view(claim_id)
        if view is None or view.case is None:
            raise HTTPException(404, f"no claim {claim_id}")
        if view.case.links is None:
            raise HTTPException(404, f"claim {claim_id} has not been linked yet")
        return view.case.links

    @app.get("/links/{claim_id}", response_class=HTMLResponse)
    def links_page(claim_id: str, request: Request, who: Reader) -> Response:
        links = links_of(claim_id)
        context = {"claim_id": claim_id, "links": links, "who": who, "shown": lambda v: shown(v, who)}
        return templates.TemplateResponse(request, "links.html", context)

    @app.get("/links/{claim_id}/graph")
    def links_graph(claim_id: str, who: Reader) -> list[dict[str, Any]]:
        return neighbourhood(claim_id, links_of(claim_id), who)

    @app.get("/links/static/cytoscape.min.js")
    def cytoscape() -> Response:
        return FileResponse(HERE / "static" / "cytoscape.min.js", media_type="text/javascript")
