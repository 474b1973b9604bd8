"""Working the queue over the API: take, decide, reassign, SLA; bad input is a 4xx and writes nothing."""

from __future__ import annotations

from datetime import timedelta

from services.core import topics
from services.core.auth import Role
from services.core.events import Route
from services.core.events.feedback import AdjusterDecision
from tests.unit.services.adjuster.conftest import Desk, token

ALICE = token("alice", Role.ADJUSTER)
BOB = token("bob", Role.ADJUSTER)
SUE = token("sue", Role.SUPERVISOR)


def human_entries(desk: Desk, claim_id: str) -> list[str]:
    return [e["kind"] for e in desk.audit.entries(claim_id=claim_id) if e["kind"].startswith("human")]


def test_the_queue_lists_open_cases_most_urgent_first_and_filters(desk: Desk) -> None:
    rows = desk.client.get("/v1/queue", headers=ALICE).json()
    assert [r["claim_id"] for r in rows][0] == desk.claim_ids[5]  # priority 1 first
    assert len(rows) == 6
    general = desk.client.get("/v1/queue", params={"desk": "general"}, headers=ALICE).json()
    assert {r["desk"] for r in general} == {"general"} and len(general) == 5
    assert len(desk.client.get("/v1/queue", params={"priority": 1}, headers=ALICE).json()) == 1
    assert desk.client.get("/v1/queue", params={"sla": "breached"}, headers=ALICE).json() == []
    desk.clock.now += timedelta(hours=5)  # priority 1 is due 4 hours after routing
    breached = desk.client.get("/v1/queue", params={"sla": "breached"}, headers=ALICE).json()
    assert [r["claim_id"] for r in breached] == [desk.claim_ids[5]] and breached[0]["sla_state"] == "breached"
    assert desk.client.get("/v1/queue", params={"sla": "late"}, headers=ALICE).status_code == 422


def test_take_then_decide_publishes_a_label_and_leaves_the_queue(desk: Desk) -> None:
    claim = desk.claim_ids[0]
    taken = desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    assert taken.status_code == 200 and taken.json()["held_by"] == "alice"
    decided = desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 1800},
                               headers=ALICE)
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    [message] = desk.bus.messages(topics.FEEDBACK)
    label = AdjusterDecision.model_validate_json(message.value)
    assert (label.claim_id, label.outcome.value, label.amount, label.overridden) == (claim, "approve", 1800, False)
    assert label.fraud_model is not None and label.policy_version == "2026.11.1"
    assert claim not in [r["claim_id"] for r in desk.client.get("/v1/queue", headers=ALICE).json()]
    assert human_entries(desk, claim) == ["human_take", "human_decision"]
    assert desk.audit.verify().intact


def test_one_adjuster_at_a_time_until_the_hold_expires(desk: Desk) -> None:
    claim = desk.claim_ids[1]
    desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    refused = desk.client.post(f"/v1/cases/{claim}/take", headers=BOB)
    assert refused.status_code == 409 and "held by alice" in refused.json()["detail"]
    decision = desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "deny", "reason": "no cover"},
                                headers=BOB)
    assert decision.status_code == 409 and "held by alice" in decision.json()["detail"]
    desk.clock.now += timedelta(minutes=31)
    assert desk.client.post(f"/v1/cases/{claim}/take", headers=BOB).json()["held_by"] == "bob"
    assert desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 10},
                            headers=ALICE).status_code == 409
    assert desk.bus.messages(topics.FEEDBACK) == []


def test_bad_decisions_are_4xx_with_the_reason_and_write_nothing(desk: Desk) -> None:
    claim = desk.claim_ids[2]
    desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    before = len(desk.audit.entries())
    cases = [
        ({"outcome": "approve", "amount": 10_000_000}, 422, "above the policy limit"),
        ({"outcome": "approve"}, 422, "needs the amount"),
        ({"outcome": "deny"}, 422, "a reason is required"),
        ({"outcome": "deny", "amount": 5, "reason": "x"}, 422, "only an approval"),
        ({"outcome": "maybe"}, 422, "outcome"),
        ({"outcome": "approve", "amount": -1}, 422, "amount"),
    ]
    for body, status, words in cases:
        response = desk.client.post(f"/v1/cases/{claim}/decision", json=body, headers=ALICE)
        assert response.status_code == status and words in str(response.json()["detail"]), (body, response.json())
    unknown = desk.client.post("/v1/cases/NOPE/decision", json={"outcome": "deny", "reason": "x"}, headers=ALICE)
    assert unknown.status_code == 404 and "no case NOPE" in unknown.json()["detail"]
    assert desk.client.post("/v1/cases/NOPE/take", headers=ALICE).status_code == 404
    assert desk.queue.get(claim).status == "open"  # type: ignore[union-attr]
    assert len(desk.audit.entries()) == before and desk.bus.messages(topics.FEEDBACK) == []


def test_an_override_needs_a_reason_and_is_marked(desk: Desk) -> None:
    claim = desk.claim_ids[5]  # recommendation: refer to investigations
    desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    response = desk.client.post(f"/v1/cases/{claim}/decision",
                                json={"outcome": "approve", "amount": 900, "reason": "Dashcam clears the driver"},
                                headers=ALICE)
    assert response.status_code == 200
    label = AdjusterDecision.model_validate_json(desk.bus.messages(topics.FEEDBACK)[0].value)
    assert label.overridden and label.reason == "Dashcam clears the driver" and label.recommendation == "refer"
    again = desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "refer"}, headers=ALICE)
    assert again.status_code == 409 and "already decided" in again.json()["detail"]


def test_a_supervisor_reassigns_a_held_case(desk: Desk) -> None:
    claim = desk.claim_ids[3]
    desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    moved = desk.client.post(f"/v1/cases/{claim}/reassign", json={"adjuster": "bob"}, headers=SUE)
    assert moved.status_code == 200 and moved.json()["held_by"] == "bob"
    assert desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 5},
                            headers=ALICE).status_code == 409
    assert desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 5},
                            headers=BOB).status_code == 200
    assert human_entries(desk, claim) == ["human_take", "human_reassign", "human_decision"]
    assert desk.client.post(f"/v1/cases/{claim}/reassign", json={"adjuster": ""}, headers=SUE).status_code == 422


def test_auditors_search_the_decision_log_and_scientists_get_labels(desk: Desk) -> None:
    claim = desk.claim_ids[4]
    desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 100}, headers=ALICE)
    log = desk.client.get("/v1/audit", params={"claim_id": claim}, headers=token("ann", Role.AUDITOR)).json()
    assert [e["kind"] for e in log] == ["human_take", "human_decision"]
    assert log[1]["actor"] == "alice"
    labels = desk.client.get("/v1/labels", headers=token("dan", Role.DATA_SCIENTIST)).json()
    assert [(r["claim_id"], r["decision"]) for r in labels] == [(claim, "approve")]


def test_the_router_stage_queues_referred_cases_once(desk: Desk, sample_claims: list) -> None:  # type: ignore[type-arg]
    from services.core.store import ClaimStore
    from services.pipeline import record_and_audit
    from tests.unit.services.core.audit_cases import routed_case

    store = ClaimStore(str(desk.queue.engine.url.render_as_string(hide_password=False)))
    referred = routed_case(sample_claims[10])
    through = routed_case(sample_claims[11])
    through = through.model_copy(update={"decision": through.decision.model_copy(  # type: ignore[union-attr]
        update={"route": Route.STRAIGHT_THROUGH, "desk": None})})
    for _ in range(2):  # a replayed batch
        record_and_audit("router", [referred, through], store=store, audit=desk.audit, queue=desk.queue)
    assert desk.queue.get(referred.claim_id) is not None and desk.queue.get(through.claim_id) is None
    assert len(desk.client.get("/v1/queue", headers=ALICE).json()) == 7
