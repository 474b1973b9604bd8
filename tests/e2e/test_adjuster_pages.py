"""The adjuster pages in Debian's headless Chromium (Playwright): take a case, decide it, see the queue change."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn

from claimgen.fnol import GeneratedClaim
from services.adjuster.api import create_app
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.app.stages import audit_entries, order
from services.compliance.reports import ComplianceReports
from services.core.audit import AuditLog
from services.core.auth import Role, mint_token
from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import SECRET, Clock, NoModels, fill
from tests.unit.services.adjuster.documented import documented_case
from tests.unit.services.core.audit_cases import START

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("TRIAGE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not shutil.which(CHROMIUM):
        message = f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def server(tmp_path: Path, sample_claims: list[GeneratedClaim]) -> Iterator[tuple[str, MemoryBus, list[str]]]:
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    queue, bus = QueueStore(store.engine), MemoryBus()
    claim_ids = fill(store, queue, sample_claims)
    audit, clock = AuditLog(store.engine), Clock(START + timedelta(hours=1))
    documents = DocumentStore(tmp_path / "documents")
    documented = documented_case(sample_claims[10], documents).case  # a seventh case, with a stored PDF
    store.record_stage("router", [documented])
    queue.enqueue([documented])
    claim_ids = [*claim_ids, documented.claim_id]
    cases = list(store.latest_cases(claim_ids).values())
    for stage in ("fraud", "severity", "router"):  # what the pipeline's stages would have audited
        audit.append(audit_entries(stage, cases))
    reports = ComplianceReports(audit=audit, cases=store, models=NoModels(), clock=clock, min_group=2)
    app = create_app(
        queue=queue,
        cases=store,
        audit=audit,
        feedback=Outbox(store.engine, bus.publisher()),
        token_secret=SECRET,
        clock=clock,
        compliance=reports,
        documents=documents,
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    ready = threading.Event()
    for _ in range(200):  # wait for the socket, checking every 50 ms, at most 10 s
        if uv.started or ready.wait(0.05):
            break
    assert uv.started, "the adjuster server did not start"
    yield f"http://127.0.0.1:{port}", bus, claim_ids
    uv.should_exit = True
    thread.join(timeout=10)


def test_an_adjuster_takes_and_decides_a_case_and_the_queue_changes(
    chromium_path: str, server: tuple[str, MemoryBus, list[str]], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, bus, claim_ids = server
    token = mint_token("alice", [Role.ADJUSTER], SECRET)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(extra_http_headers={"Authorization": f"Bearer {token}"}).new_page()
        page.goto(f"{base}/queue")
        rows = page.locator("#queue tbody tr")
        expect(rows).to_have_count(7)
        claim = claim_ids[0]
        page.click(f"a[href='/cases/{claim}']")
        expect(page.locator("h1")).to_have_text(f"Claim {claim}")
        expect(page.locator("#raisers")).to_contain_text("Policy incepted days before the loss")  # a fraud reason
        page.click("#take")
        page.fill("#decision input[name=amount]", "99999999")
        page.click("#decision button[type=submit]")
        expect(page.locator(".error")).to_contain_text("above the policy limit")  # refused, nothing written
        page.select_option("#decision select[name=outcome]", "approve")
        page.fill("#decision input[name=amount]", "1500")
        page.click("#decision button[type=submit]")
        expect(page.locator("#decided")).to_contain_text(claim)
        expect(rows).to_have_count(6)
        expect(page.locator(f"#queue tr[data-claim='{claim}']")).to_have_count(0)
        page.screenshot(path=str(tmp_path / "queue.png"))
        browser.close()
    assert len(bus.messages("claims.feedback.v1")) == 1


def test_an_adjuster_reads_a_case_its_documents_and_leaves_a_note(
    chromium_path: str, server: tuple[str, MemoryBus, list[str]], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _, claim_ids = server
    token = mint_token("alice", [Role.ADJUSTER], SECRET)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            extra_http_headers={"Authorization": f"Bearer {token}"}, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto(f"{base}/queue")
        page.click("#queue thead a:text('Fraud score')")  # highest first
        expect(page.locator("#queue thead th[aria-sort='descending']")).to_contain_text("Fraud score")
        expect(page.locator("#queue tbody tr").first).to_have_attribute("data-claim", claim_ids[-1])  # 45 %
        page.click(f"a[href='/cases/{claim_ids[-1]}']")
        expect(page.locator("#recommendation")).to_contain_text("Refer to special investigations")
        expect(page.locator("#findings h2")).to_contain_text("1 to resolve")
        expect(page.locator("#comparison tr.differs")).to_have_count(1)
        image = page.locator("#documents figure img").first
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth") > 500  # the page drawn as PNG, loaded
        page.click("#take")
        expect(page.locator("#status")).to_contain_text("Held by you")
        page.fill("#note", "Asked the claimant for the police report.")
        page.click("#note-form button")
        expect(page.locator("#notes")).to_contain_text("Asked the claimant for the police report.")
        expect(page.locator("#history")).to_contain_text("Note")
        page.screenshot(path=str(tmp_path / "case.png"), full_page=True)
        browser.close()


def test_pages_refuse_a_visitor_without_a_token(chromium_path: str, server: tuple[str, MemoryBus, list[str]]) -> None:
    from playwright.sync_api import sync_playwright

    base, _, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        assert page.goto(f"{base}/queue").status == 401  # type: ignore[union-attr]
        auditor = mint_token("ann", [Role.AUDITOR], SECRET)
        page.goto(f"{base}/login")
        page.fill("input[name=token]", auditor)
        page.click("button[type=submit]")  # the cookie is set; the queue is not an auditor's page
        assert page.goto(f"{base}/audit").status == 200  # type: ignore[union-attr]
        assert page.goto(f"{base}/queue").status == 403  # type: ignore[union-attr]
        browser.close()


def test_an_auditor_opens_the_compliance_report_from_the_decision_log(
    chromium_path: str, server: tuple[str, MemoryBus, list[str]], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=token]", mint_token("ann", [Role.AUDITOR], SECRET))
        page.click("button[type=submit]")
        page.goto(f"{base}/audit")
        page.click("nav a[href='/compliance/report']")
        expect(page.locator("h1")).to_have_text("Compliance report")
        expect(page.locator("#headline")).to_contain_text("claims routed")
        page.fill("#period input[name=start]", START.date().isoformat())
        page.fill("#period input[name=end]", START.date().isoformat())
        page.click("#period button[type=submit]")
        expect(page.locator("#headline dd").first).to_have_text("7")
        plots = page.locator("section img")
        expect(plots).to_have_count(6)
        assert all(plots.nth(i).evaluate("img => img.naturalWidth") > 100 for i in range(6))  # decoded PNGs
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        page.click("nav a[href='/models/inventory']")
        expect(page.locator("section.model")).to_have_count(2)
        mint = mint_token("al", [Role.ADJUSTER], SECRET)
        page.context.clear_cookies()
        assert page.goto(f"{base}/compliance/report", wait_until="commit").status == 401  # type: ignore[union-attr]
        page.set_extra_http_headers({"Authorization": f"Bearer {mint}"})
        assert page.goto(f"{base}/compliance/report").status == 403  # type: ignore[union-attr]
        browser.close()
