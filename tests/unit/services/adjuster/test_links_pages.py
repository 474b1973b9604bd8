"""The SIU view of a claim's links: the page, its graph's elements, and the values only some roles see."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.adjuster.links_pages import add_links_pages
from services.core.auth import Role, mint_token
from services.core.events import FNOL, ClaimCase, ClaimLinks, LinkedClaim, SharedEntity
from services.core.store import ClaimView

SECRET = "s" * 32
EXAMPLE = Path(__file__).parents[4] / "services" / "core" / "events" / "fnol.example.json"
LINKS = ClaimLinks(
    entities=[
        SharedEntity(
            kind="phone",
            value="+1 217 555 0199",
            roles=["witness"],
            probability=1.0,
            claims=["C-1", "C-2"],
            claim_count=2,
        ),
        SharedEntity(
            kind="repair_shop",
            value="Big Body",
            roles=["repair_shop"],
            probability=1.0,
            claims=[],
            claim_count=21,
            common=True,
        ),
    ],
    linked_claims=[
        LinkedClaim(claim_id="C-1", kinds=["phone"], strength=1.5),
        LinkedClaim(claim_id="C-2", kinds=["phone"], strength=1.5),
    ],
    claims_by_kind={"phone": 2},
    component_size=3,
    fraud_claims=["C-2"],
    ring_score=0.81,
    hops=2,
    window_days=90,
)


class Cases:
    def __init__(self, links: ClaimLinks | None) -> None:
        fnol = FNOL.model_validate_json(EXAMPLE.read_text())
        now = datetime.now(UTC)
        self.case = ClaimCase(
            event_id=uuid.uuid4(), claim_id=fnol.claim_id, occurred_at=now, accepted_at=now, fnol=fnol, links=links
        )

    def view(self, claim_id: str) -> ClaimView | None:
        return ClaimView(claim_id, "linked", [], self.case) if claim_id == self.case.claim_id else None


def client(links: ClaimLinks | None = LINKS) -> tuple[TestClient, str]:
    app = FastAPI()
    cases = Cases(links)
    add_links_pages(app, cases, SECRET)
    return TestClient(app), cases.case.claim_id


def bearer(role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token('someone', [role], SECRET)}"}


def test_an_adjuster_sees_the_shared_values_and_the_linked_claims() -> None:
    http, claim_id = client()
    page = http.get(f"/links/{claim_id}", headers=bearer(Role.ADJUSTER))
    assert page.status_code == 200
    assert "+1 217 555 0199" in page.text and "C-1" in page.text and "0.81" in page.text
    assert '<script src="/links/static/cytoscape.min.js">' in page.text
    assert http.get("/links/static/cytoscape.min.js").text.startswith("/**")


def test_the_graph_joins_the_claim_to_each_entity_and_each_entity_to_its_claims() -> None:
    http, claim_id = client()
    elements = http.get(f"/links/{claim_id}/graph", headers=bearer(Role.SUPERVISOR)).json()
    nodes = {e["data"]["id"]: e["data"] for e in elements if "source" not in e["data"]}
    edges = {(e["data"]["source"], e["data"]["target"]) for e in elements if "source" in e["data"]}
    assert nodes[claim_id]["kind"] == "this" and nodes["C-2"]["kind"] == "fraud" and nodes["C-1"]["kind"] == "claim"
    assert nodes["entity-1"]["kind"] == "common"
    assert {(claim_id, "entity-0"), ("C-1", "entity-0"), ("C-2", "entity-0"), (claim_id, "entity-1")} == edges


def test_an_auditor_reads_the_graph_with_the_values_masked() -> None:
    http, claim_id = client()
    page = http.get(f"/links/{claim_id}", headers=bearer(Role.AUDITOR))
    graph = http.get(f"/links/{claim_id}/graph", headers=bearer(Role.AUDITOR)).text
    assert page.status_code == 200 and "555 0199" not in page.text and "555 0199" not in graph


def test_no_token_no_page_and_an_unlinked_claim_says_so() -> None:
    http, claim_id = client(links=None)
    assert http.get(f"/links/{claim_id}").status_code == 401
    assert http.get(f"/links/{claim_id}", headers=bearer(Role.DATA_SCIENTIST)).status_code == 403
    missing = http.get(f"/links/{claim_id}", headers=bearer(Role.ADJUSTER))
    assert missing.status_code == 404 and "not been linked" in missing.text
    assert http.get("/links/NOPE-1", headers=bearer(Role.ADJUSTER)).status_code == 404
