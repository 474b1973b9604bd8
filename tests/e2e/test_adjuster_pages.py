"""The adjuster pages in Debian's headless Chromium (Playwright): take a case, decide it, see the queue change."""

from __future__ import annotations

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
from services.adjuster.sessions import SignIn
from services.adjuster.users import UserStore
from services.app.stages import audit_entries, order
from services.compliance.reports import ComplianceReports
from services.core.audit import AuditLog
from services.core.auth import Role, mint_token
from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from services.core.store import ClaimStore
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.unit.services.adjuster.conftest import SECRET, Clock, NoModels, fill
from tests.unit.services.adjuster.documented import documented_case
from tests.unit.services.core.audit_cases import START

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


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
    users = UserStore(store.engine)
    users.add("ann", PASSWORD, [Role.AUDITOR])
    users.add("alice", PASSWORD, [Role.ADJUSTER])
    app = create_app(
        queue=queue,
        cases=store,
        audit=audit,
        feedback=Outbox(store.engine, bus.publisher()),
        token_secret=SECRET,
        clock=clock,
        compliance=reports,
        sign_in=SignIn(users=users),
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
        # The page drawn as PNG, loaded: drawing it may take a moment on a busy machine, so wait for it to load.
        page.wait_for_function("img => img.complete && img.naturalWidth > 500", arg=image.element_handle())
        page.click("#take")
        expect(page.locator("#status")).to_contain_text("Held by you")
        page.fill("#note", "Asked the claimant for the police report.")
        page.click("#note-form button")
        expect(page.locator("#notes")).to_contain_text("Asked the claimant for the police report.")
        expect(page.locator("#history")).to_contain_text("Note")
        page.screenshot(path=str(tmp_path / "case.png"), full_page=True)
        browser.close()


def test_a_visitor_signs_in_sees_only_their_pages_and_signs_out(
    chromium_path: str, server: tuple[str, MemoryBus, list[str]], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{base}/")  # no session: to sign-in
        expect(page.locator("h1")).to_have_text("Sign in")
        page.goto(f"{base}/audit?claim_id=nothing")
        assert page.url == f"{base}/login?next=%2Faudit%3Fclaim_id%3Dnothing"
        page.fill("input[name=username]", "ann")
        page.fill("input[name=password]", "not the password")
        page.click("#local button[type=submit]")
        expect(page.locator("#sign-in-error")).to_contain_text("wrong user name or password")
        page.fill("input[name=username]", "ann")
        page.fill("input[name=password]", PASSWORD)
        page.click("#local button[type=submit]")
        assert page.url == f"{base}/audit?claim_id=nothing"  # back where the visitor was going
        expect(page.locator("nav a")).to_have_text(["Decision log", "Compliance report", "Model inventory"])
        cookie = next(c for c in page.context.cookies() if c["name"] == "triage_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert page.goto(f"{base}/queue").status == 403  # type: ignore[union-attr]
        expect(page.locator("h1")).to_have_text("Not allowed")
        page.click("#signout")
        expect(page.locator("#signed-out")).to_be_visible()
        page.goto(f"{base}/audit")
        expect(page.locator("h1")).to_have_text("Sign in")
        page.screenshot(path=str(tmp_path / "signed-out.png"))
        browser.close()


def test_an_auditor_opens_the_compliance_report_from_the_decision_log(
    chromium_path: str, server: tuple[str, MemoryBus, list[str]], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{base}/audit")
        page.fill("input[name=username]", "ann")
        page.fill("input[name=password]", PASSWORD)
        page.click("#local button[type=submit]")
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
        assert page.goto(f"{base}/compliance/report").url.startswith(f"{base}/login?next=")
        page.set_extra_http_headers({"Authorization": f"Bearer {mint}"})
        assert page.goto(f"{base}/compliance/report").status == 403  # type: ignore[union-attr]
        browser.close()
