"""The case page an adjuster works from: the claim at a glance, the recommendation, the documents in the browser
with the values read from them outlined, the FNOL against the documents, findings, fraud, payment, history, notes."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from claimgen.fnol import GeneratedClaim
from services.adjuster.api import create_app
from services.adjuster.document_images import SCALE
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.app.stages import audit_entries, order
from services.core.audit import AuditLog
from services.core.auth import Role
from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from services.core.events import ClaimCase, ClaimLinks, LineOfBusiness, LinkedClaim
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import SECRET, Clock, token
from tests.unit.services.adjuster.documented import AGREES_BOX, DIFFERS_BOX, documented_case
from tests.unit.services.core.audit_cases import START, routed_case

ALICE = token("alice", Role.ADJUSTER)


@dataclass
class Bench:
    client: TestClient
    audit: AuditLog
    motor: ClaimCase
    property: ClaimCase
    sha256: str


@pytest.fixture
def bench(tmp_path: Path, sample_claims: list[GeneratedClaim]) -> Bench:
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    queue, audit, documents = QueueStore(store.engine), AuditLog(store.engine), DocumentStore(tmp_path / "documents")
    motor = next(c for c in sample_claims if c.fnol.line_of_business is LineOfBusiness.MOTOR)
    home = next(c for c in sample_claims if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    documented = documented_case(motor, documents)
    cases = [documented.case, documented_case(home, documents, filename="Schadenmeldung 事故.pdf").case]
    store.record_stage("router", cases)
    queue.enqueue(cases)
    for stage in ("fraud", "severity", "router"):
        audit.append(audit_entries(stage, cases))
    app = create_app(
        queue=queue,
        cases=store,
        audit=audit,
        feedback=Outbox(store.engine, MemoryBus().publisher()),
        token_secret=SECRET,
        clock=Clock(START + timedelta(hours=1)),
        documents=documents,
    )
    return Bench(TestClient(app), audit, cases[0], cases[1], documented.sha256)


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def section(page: str, name: str) -> str:
    start = page.index(">", page.index(f'id="{name}"')) + 1
    return text_of(page[start : page.index("</section>", start)])


def test_the_header_shows_the_claim_at_a_glance(bench: Bench) -> None:
    page = bench.client.get(f"/cases/{bench.motor.claim_id}", headers=ALICE)
    assert page.status_code == 200
    glance, policy = section(page.text, "glance"), bench.motor.fnol.policy
    assert bench.motor.fnol.claimant.name in glance and "Motor" in glance
    assert f"Sum insured {policy.currency} {policy.sum_insured:,.0f}" in glance
    assert f"Deductible {policy.currency} {policy.deductible:,.0f}" in glance
    assert "On time 1 d 23 h left" in glance  # priority 3: due 48 h after routing, an hour gone
    assert "Open, not held by anyone" in glance


def test_after_a_take_the_case_says_who_holds_it(bench: Bench) -> None:
    claim = bench.motor.claim_id
    taken = bench.client.post(f"/cases/{claim}/take", headers=ALICE, follow_redirects=True)
    assert "Held by you until" in section(taken.text, "glance")
    other = bench.client.get(f"/cases/{claim}", headers=token("bob", Role.ADJUSTER))
    assert "Held by alice until" in section(other.text, "glance")
    history = section(other.text, "history")
    assert "Taken" in history and "by alice" in history


def test_the_recommendation_is_in_words_with_its_reasons_and_the_payment_basis(bench: Bench) -> None:
    page = bench.client.get(f"/cases/{bench.motor.claim_id}", headers=ALICE).text
    recommendation = section(page, "recommendation")
    assert "Refer to special investigations" in recommendation and "request_documents" not in page
    assert "Fraud probability 45% is above the straight-through limit" in recommendation
    severity = section(page, "severity")
    policy = bench.motor.fnol.policy
    assert f"Proposed payment {policy.currency} 1,400" in severity
    assert f"less the deductible {policy.currency} {policy.deductible:,.2f}" in severity
    assert "None" not in text_of(page)


def test_fraud_reasons_are_only_those_that_raised_the_score_in_words_for_the_line(bench: Bench) -> None:
    motor = section(bench.client.get(f"/cases/{bench.motor.claim_id}", headers=ALICE).text, "fraud")
    currency = bench.motor.fnol.policy.currency
    assert f"Deductible of {currency} {bench.motor.fnol.policy.deductible:,.0f}" in motor
    assert "No vehicle age on the claim" in motor and "witness" not in motor  # the witness lowered the score
    home = section(bench.client.get(f"/cases/{bench.property.claim_id}", headers=ALICE).text, "fraud")
    assert "vehicle age" not in home.lower() and "1 vehicle fact a property claim does not have" in home


def test_the_fnol_is_compared_with_each_document_field_by_field(bench: Bench) -> None:
    page = bench.client.get(f"/cases/{bench.motor.claim_id}", headers=ALICE).text
    rows = re.findall(r'<tr class="([a-z]*)" data-field="([a-z_]+)">', page)
    assert rows == [("differs", "loss_date"), ("", "policy_number")]  # one row per field and document, the best
    comparison = section(page, "comparison")
    assert "1 field disagree" in comparison and "notice.pdf p. 1" in comparison and "97 %" in comparison
    findings = section(page, "findings")
    assert findings.startswith("Findings 1 to resolve")
    assert "The date of loss on a document differs from the FNOL's." in findings
    assert "notice.pdf page 1 says" in findings and "loss_date" not in findings


def test_a_stored_document_is_streamed_and_its_page_shown_with_the_values_outlined(bench: Bench) -> None:
    base = f"/cases/{bench.motor.claim_id}/documents/{bench.sha256}"
    original = bench.client.get(base, headers=ALICE)
    assert original.status_code == 200 and original.headers["content-type"] == "application/pdf"
    assert original.content.startswith(b"%PDF") and "inline" in original.headers["content-disposition"]
    page = bench.client.get(f"{base}/pages/1.png", headers=ALICE)
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(page.content)).convert("RGB")

    def middle(box: object) -> tuple[int, int, int]:
        x = int((box.x0 + box.x1) / 2 * SCALE)  # type: ignore[attr-defined]
        y = int((box.top + box.bottom) / 2 * SCALE)  # type: ignore[attr-defined]
        return image.getpixel((x, y))  # type: ignore[return-value]

    red, amber = middle(DIFFERS_BOX), middle(AGREES_BOX)
    assert red[0] > 230 and red[1] < 215 and abs(red[1] - red[2]) < 10  # pink: the value differs from the FNOL
    assert amber[0] > 240 and amber[2] < 200 and amber[1] > amber[2]  # amber: read, agrees
    assert image.getpixel((20, image.height - 20)) == (255, 255, 255)  # nothing outlined elsewhere
    assert f'src="{base}/pages/1.png"' in bench.client.get(f"/cases/{bench.motor.claim_id}", headers=ALICE).text


def test_a_document_named_in_any_script_is_served_under_its_name(bench: Bench) -> None:
    [ref] = bench.property.fnol.documents
    served = bench.client.get(f"/cases/{bench.property.claim_id}/documents/{ref.sha256}", headers=ALICE)
    assert served.status_code == 200
    disposition = served.headers["content-disposition"]
    assert "filename*=UTF-8''Schadenmeldung%20%E4%BA%8B%E6%95%85.pdf" in disposition
    assert 'filename="Schadenmeldung __.pdf"' in disposition


def test_documents_are_only_those_of_the_case_for_users_who_may_read_cases(bench: Bench) -> None:
    base = f"/cases/{bench.motor.claim_id}/documents/{bench.sha256}"
    anonymous = bench.client.get(base, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
    assert bench.client.get(base, headers=token("dana", Role.DATA_SCIENTIST)).status_code == 403
    assert bench.client.get(base, headers=token("ann", Role.AUDITOR)).status_code == 200
    other = bench.client.get(f"/cases/{bench.property.claim_id}/documents/{bench.sha256}", headers=ALICE)
    assert other.status_code == 404  # another claim's document is not reached through this one
    assert bench.client.get(f"{base}/pages/2.png", headers=ALICE).status_code == 404


def test_a_note_is_kept_in_the_audit_log_and_shown_on_the_case(bench: Bench) -> None:
    claim = bench.motor.claim_id
    added = bench.client.post(
        f"/cases/{claim}/notes",
        data={"note": "Called the garage: estimate confirmed."},
        headers=ALICE,
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"] == f"/cases/{claim}#notes"
    [note] = [e for e in bench.audit.entries(claim_id=claim) if e["kind"] == "human_note"]
    assert note["actor"] == "alice" and "estimate confirmed" in note["reasons_json"]
    assert bench.audit.verify().intact
    notes = section(bench.client.get(f"/cases/{claim}", headers=ALICE).text, "notes")
    assert "Notes (1)" in notes and "Called the garage: estimate confirmed." in notes and "alice" in notes
    empty = bench.client.post(f"/cases/{claim}/notes", data={"note": "  "}, headers=ALICE)
    assert empty.status_code == 422 and "a note has 1 to 4000 characters" in empty.text
    auditor = bench.client.post(f"/cases/{claim}/notes", data={"note": "x"}, headers=token("ann", Role.AUDITOR))
    assert auditor.status_code == 403


def test_the_case_page_lists_the_linked_claims(tmp_path: Path, sample_claims: list[GeneratedClaim]) -> None:
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    links = ClaimLinks(
        entities=[],
        linked_claims=[
            LinkedClaim(claim_id="CLM-OTHER-1", kinds=["phone", "repair_shop"], strength=1.4),
            LinkedClaim(claim_id="CLM-OTHER-2", kinds=["bank_account"], strength=1.0),
        ],
        claims_by_kind={"phone": 1, "repair_shop": 1, "bank_account": 1},
        component_size=3,
        fraud_claims=["CLM-OTHER-2"],
        ring_score=0.81,
        hops=2,
        window_days=365,
    )
    linked, alone = routed_case(sample_claims[0]).model_copy(update={"links": links}), routed_case(sample_claims[1])
    store.record_stage("router", [linked, alone])
    app = create_app(
        queue=QueueStore(store.engine),
        cases=store,
        audit=AuditLog(store.engine),
        feedback=Outbox(store.engine, MemoryBus().publisher()),
        token_secret=SECRET,
        clock=Clock(START + timedelta(hours=1)),
    )
    client = TestClient(app)
    shown = section(client.get(f"/cases/{linked.claim_id}", headers=ALICE).text, "linked-claims")
    assert "Linked claims (2)" in shown and "Ring score 0.81" in shown
    assert "CLM-OTHER-1 phone, repair shop —" in shown
    assert "CLM-OTHER-2 bank account Referred or denied for fraud" in shown
    assert "Not linked yet" in section(client.get(f"/cases/{alone.claim_id}", headers=ALICE).text, "linked-claims")
