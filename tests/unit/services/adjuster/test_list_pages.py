"""The queue page (the columns an adjuster sorts by, filters, paging, words for tokens) and the decision log (paged,
readable, claim ids linked)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from claimgen.fnol import GeneratedClaim
from services.adjuster.list_pages import LOG_PAGE, QUEUE_PAGE
from services.app.stages import audit_entries
from services.core.auth import Role
from services.core.events import ClaimCase, LineOfBusiness
from tests.unit.services.adjuster.conftest import Desk, token
from tests.unit.services.core.audit_cases import routed_case

ALICE = token("alice", Role.ADJUSTER)
ANN = token("ann", Role.AUDITOR)
TOKENS = ("on_time", "due_soon", "request_documents", "special_investigations", "outputs_json", "{&#34;", '{"')


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def rows_of(page: str) -> list[str]:
    return re.findall(r'<tr data-claim="([^"]+)">', page)


@pytest.fixture
def crowded(desk: Desk, sample_claims: list[GeneratedClaim]) -> list[ClaimCase]:
    """Thirty more claims on the general desk, fraud scores from 1 % to 59 %, audited as the pipeline would."""
    cases = [routed_case(c, minute=10 + i, probability=0.01 + 0.02 * i) for i, c in enumerate(sample_claims[6:36])]
    desk.store.record_stage("router", cases)
    desk.queue.enqueue(cases)
    for stage in ("fraud", "severity", "router"):
        desk.audit.append(audit_entries(stage, cases))
    return cases


def test_the_queue_shows_the_columns_an_adjuster_sorts_by_in_words(desk: Desk) -> None:
    page = desk.client.get("/queue", headers=ALICE).text
    headers = text_of(page[page.index("<thead>") : page.index("</thead>")])
    for column in ("Claimant", "Line", "Fraud score", "Expected cost", "Amount claimed", "Received", "SLA"):
        assert column in headers
    visible = text_of(page[page.index("<table") :])
    assert "Refer to special investigations" in visible and "Approve" in visible and "On time" in visible
    assert "Special investigations" in visible and "20 %" in visible
    assert not [t for t in TOKENS if t in visible]
    assert 'class="badge on_time">On time</span>' in page  # the SLA colour always comes with its words


def test_the_queue_sorts_by_fraud_score_and_claimant_and_pages(desk: Desk, crowded: list[ClaimCase]) -> None:
    by_fraud = desk.client.get("/queue", params={"sort": "fraud", "desc": "true"}, headers=ALICE).text
    everyone = [*crowded, *desk.store.latest_cases(desk.claim_ids).values()]
    scores = {c.claim_id: c.fraud.probability for c in everyone if c.fraud}
    shown = [scores[claim] for claim in rows_of(by_fraud)]
    assert shown == sorted(scores.values(), reverse=True)[:QUEUE_PAGE]
    assert 'aria-sort="descending"' in by_fraud and "Cases 1–25 of 36" in text_of(by_fraud)
    last = desk.client.get("/queue", params={"sort": "fraud", "desc": "true", "page": 2}, headers=ALICE).text
    assert len(rows_of(last)) == 36 - QUEUE_PAGE and "Cases 26–36 of 36" in text_of(last)
    by_name = desk.client.get("/queue", params={"sort": "claimant"}, headers=ALICE).text
    names = re.findall(r'<td class="claim">.*?</td>\s*<td>([^<]+)</td>', by_name, flags=re.S)
    assert len(names) == QUEUE_PAGE and names == sorted(names)
    assert desk.client.get("/queue", params={"sort": "bogus"}, headers=ALICE).status_code == 422


def test_the_queue_filters_by_line_and_by_what_i_hold(desk: Desk, crowded: list[ClaimCase]) -> None:
    everyone = [*crowded, *(c for c in desk.store.latest_cases(desk.claim_ids).values())]
    homes = {c.claim_id for c in everyone if c.fnol.line_of_business is LineOfBusiness.PROPERTY}
    page = desk.client.get("/queue", params={"line": "property"}, headers=ALICE).text
    assert set(rows_of(page)) == homes and homes
    desk.client.post(f"/v1/cases/{crowded[3].claim_id}/take", headers=ALICE)
    desk.client.post(f"/v1/cases/{crowded[4].claim_id}/take", headers=token("bob", Role.ADJUSTER))
    mine = desk.client.get("/queue", params={"mine": "true"}, headers=ALICE).text
    assert rows_of(mine) == [crowded[3].claim_id] and "You" in text_of(mine[mine.index("<tbody>") :])


def test_an_overdue_case_says_so_in_words(desk: Desk) -> None:
    desk.clock.now += timedelta(hours=5)  # the priority-1 case was due 4 hours after routing
    page = desk.client.get("/queue", params={"sla": "breached"}, headers=ALICE).text
    assert rows_of(page) == [desk.claim_ids[5]]
    assert "Overdue by 1 h 55 min" in text_of(page)  # due 4 h after routing at minute 5; now 6 h after
    assert "20 Nov 12:05 5 h 55 min ago" in text_of(page)  # queued at routing


def test_the_decision_log_is_paged_readable_and_links_each_claim(desk: Desk, crowded: list[ClaimCase]) -> None:
    total = desk.audit.count()
    assert total > LOG_PAGE
    first = desk.client.get("/audit", headers=ANN).text
    seqs = [int(s) for s in re.findall(r'<tr><td class="num">(\d+)</td>', first)]
    assert seqs == list(range(total, total - LOG_PAGE, -1))  # newest first, one page
    assert f"Entries 1–{LOG_PAGE} of {total}" in text_of(first)
    rest = desk.client.get("/audit", params={"page": 2}, headers=ANN).text
    assert len(re.findall(r'<tr><td class="num">', rest)) == total - LOG_PAGE
    assert f'<a href="/cases/{crowded[0].claim_id}">' in rest
    visible = text_of(first[first.index("<table") :])
    assert "Routed" in visible and "expected cost: 2,100.00" in visible and not [t for t in TOKENS if t in visible]
    one = desk.client.get("/audit", params={"claim_id": crowded[0].claim_id}, headers=ANN).text
    assert set(re.findall(r'<a href="/cases/([^"]+)">', one)) == {crowded[0].claim_id}


def test_a_claim_the_log_links_to_opens_even_when_it_never_reached_the_queue(
    desk: Desk, sample_claims: list[GeneratedClaim]
) -> None:
    settled = routed_case(sample_claims[39])
    desk.store.record_stage("router", [settled])  # recorded, never queued
    page = desk.client.get(f"/cases/{settled.claim_id}", headers=ANN)
    assert page.status_code == 200 and "Not in the adjusters' queue" in html.unescape(page.text)
    assert desk.client.get("/cases/NO-SUCH-CLAIM", headers=ANN).status_code == 404


def test_the_queue_api_sorts_filters_and_pages_as_the_page_does(desk: Desk, crowded: list[ClaimCase]) -> None:
    params = {"sort": "fraud", "desc": "true", "limit": 10, "offset": 10}
    rows = desk.client.get("/v1/queue", params=params, headers=ALICE).json()
    everyone = [*crowded, *desk.store.latest_cases(desk.claim_ids).values()]
    ranked = sorted((c.fraud.probability for c in everyone if c.fraud), reverse=True)
    assert [r["fraud_probability"] for r in rows] == ranked[10:20]
    assert {r["claimant"] for r in rows} <= {c.fnol.claimant.name for c in everyone}
    homes = desk.client.get("/v1/queue", params={"line": "property", "limit": 500}, headers=ALICE).json()
    assert {r["line_of_business"] for r in homes} == {"property"}
    assert desk.client.get("/v1/queue", params={"line": "marine"}, headers=ALICE).status_code == 422


def test_an_offset_past_what_the_database_holds_is_refused_and_the_largest_it_holds_is_an_empty_page(
    desk: Desk,
) -> None:
    too_far = desk.client.get("/v1/queue", params={"offset": 2**63}, headers=ALICE)
    assert too_far.status_code == 422 and "offset" in too_far.text
    assert desk.client.get("/v1/queue", params={"offset": 2**63 - 1}, headers=ALICE).json() == []


def test_a_note_through_the_api_is_audited(desk: Desk) -> None:
    claim = desk.claim_ids[0]
    added = desk.client.post(f"/v1/cases/{claim}/notes", json={"note": " Policyholder called. "}, headers=ALICE)
    assert added.status_code == 201 and added.json() == {
        "claim_id": claim,
        "note": "Policyholder called.",
        "by": "alice",
    }
    assert [e["kind"] for e in desk.audit.entries(claim_id=claim)] == ["human_note"]
    assert desk.client.post(f"/v1/cases/{claim}/notes", json={"note": ""}, headers=ALICE).status_code == 422
    assert desk.client.post("/v1/cases/NOPE/notes", json={"note": "x"}, headers=ALICE).status_code == 404


def test_cases_without_the_sorted_value_come_last_either_way(desk: Desk, sample_claims: list[GeneratedClaim]) -> None:
    unestimated, cases = [], []
    for i, (claim, cost) in enumerate(zip(sample_claims[36:40], (None, None, 3000.0, 1000.0), strict=True)):
        case = routed_case(claim, minute=50 + i)
        assert case.severity is not None
        estimate = {"expected_cost": cost, "currency": claim.fnol.policy.currency}
        cases.append(case.model_copy(update={"severity": case.severity.model_copy(update=estimate)}))
        unestimated += [case.claim_id] if cost is None else []
    desk.store.record_stage("router", cases)
    desk.queue.enqueue(cases)
    costs = {r["claim_id"]: r["expected_cost"] for r in desk.client.get("/v1/queue", headers=ALICE).json()}
    assert set(unestimated) <= {claim for claim, cost in costs.items() if cost is None}
    for desc in (True, False):
        rows = rows_of(desk.client.get("/queue", params={"sort": "cost", "desc": desc}, headers=ALICE).text)
        shown = [costs[claim] for claim in rows]
        known = [cost for cost in shown if cost is not None]
        assert known and len(known) < len(shown)
        assert shown == known + [None] * (len(shown) - len(known))  # the cases without an estimate at the end
        assert known == sorted(known, reverse=desc)
