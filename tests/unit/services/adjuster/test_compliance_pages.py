"""The compliance report and model inventory as an auditor reaches them on the adjuster app."""

from __future__ import annotations

import json
from datetime import timedelta

from services.app.stages import audit_entries, order
from services.core.auth import Role
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import Desk, token

AUDITOR = token("erin", Role.AUDITOR)


def routed(desk: Desk) -> None:
    """The queued claims' model scores and routing decisions in the audit log, as the pipeline writes them."""
    cases = list(ClaimStore(str(desk.audit.engine.url), order()).latest_cases(desk.claim_ids).values())
    for stage in ("fraud", "severity", "router"):
        desk.audit.append(audit_entries(stage, cases))


def test_the_report_page_covers_the_period_with_plots_and_a_pdf(desk: Desk) -> None:
    routed(desk)
    day = desk.clock.now.date().isoformat()
    page = desk.client.get(f"/compliance/report?start={day}&end={day}", headers=AUDITOR)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "claims routed</dt><dd>6</dd>" in page.text.replace("\n", "")
    assert page.text.count("data:image/png;base64,") == 6
    assert 'href="/audit"' in page.text and 'id="period"' in page.text
    pdf = desk.client.get(f"/compliance/report.pdf?start={day}&end={day}", headers=AUDITOR)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    earlier = (desk.clock.now - timedelta(days=3)).date().isoformat()
    empty = desk.client.get(f"/compliance/report?start={earlier}&end={earlier}", headers=AUDITOR)
    assert 'id="empty"' in empty.text
    assert desk.client.get(f"/compliance/report?start={day}&end={earlier}", headers=AUDITOR).status_code == 422


def test_the_inventory_lists_the_versions_that_scored(desk: Desk) -> None:
    routed(desk)
    page = desk.client.get("/models/inventory", headers=token("dan", Role.DATA_SCIENTIST))
    assert page.status_code == 200 and 'id="fraud-v3"' in page.text and 'id="severity-v2"' in page.text
    assert "Not found in the registry" in page.text
    exported = desk.client.get("/v1/models/inventory?format=json", headers=AUDITOR)
    versions = {(e["name"], e["version"]): e["claims_decided"] for e in json.loads(exported.text)}
    assert versions == {("fraud", "3"): 6, ("severity", "2"): 6}
    csv = desk.client.get("/v1/models/inventory?format=csv", headers=AUDITOR)
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.count("\n") == 3
