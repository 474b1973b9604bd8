"""Working the queue over the API: take, decide, reassign, SLA; bad input is a 4xx and writes nothing."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from services.adjuster.api import create_app
from services.core import topics
from services.core.audit import AuditLog
from services.core.auth import Role
from services.core.bus.port import Outgoing, Publisher, TransientBusError
from services.core.database import writing
from services.core.events import Route
from services.core.events.feedback import AdjusterDecision
from tests.unit.services.adjuster.conftest import SECRET, Desk, token

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
    decided = desk.client.post(
        f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 1800}, headers=ALICE
    )
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
    decision = desk.client.post(
        f"/v1/cases/{claim}/decision", json={"outcome": "deny", "reason": "no cover"}, headers=BOB
    )
    assert decision.status_code == 409 and "held by alice" in decision.json()["detail"]
    desk.clock.now += timedelta(minutes=31)
    assert desk.client.post(f"/v1/cases/{claim}/take", headers=BOB).json()["held_by"] == "bob"
    assert (
        desk.client.post(
            f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 10}, headers=ALICE
        ).status_code
        == 409
    )
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
    response = desk.client.post(
        f"/v1/cases/{claim}/decision",
        json={"outcome": "approve", "amount": 900, "reason": "Dashcam clears the driver"},
        headers=ALICE,
    )
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
    assert (
        desk.client.post(
            f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 5}, headers=ALICE
        ).status_code
        == 409
    )
    assert (
        desk.client.post(
            f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 5}, headers=BOB
        ).status_code
        == 200
    )
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


def test_the_router_stage_queues_referred_cases_once(desk: Desk, sample_claims: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    from services.app.dependencies import Dependencies
    from services.app.stages import declared, order
    from services.core.documents import DocumentStore
    from services.core.settings import TriageSettings
    from services.core.store import ClaimStore
    from tests.unit.services.core.audit_cases import routed_case

    store = ClaimStore(str(desk.queue.engine.url.render_as_string(hide_password=False)), order())
    deps = Dependencies(TriageSettings(), store, DocumentStore(tmp_path), desk.audit, desk.queue)
    referred = routed_case(sample_claims[10])
    through = routed_case(sample_claims[11])
    through = through.model_copy(
        update={
            "decision": through.decision.model_copy(  # type: ignore[union-attr]
                update={"route": Route.STRAIGHT_THROUGH, "desk": None}
            )
        }
    )
    for _ in range(2):  # a replayed batch
        declared("router").record_hook(deps)("router", [referred, through], None, None)
    assert desk.queue.get(referred.claim_id) is not None and desk.queue.get(through.claim_id) is None
    assert len(desk.client.get("/v1/queue", headers=ALICE).json()) == 7


class BrokerAway:
    """A publisher whose broker never answers."""

    def publish(self, outputs: object) -> None:
        raise TransientBusError("publish failed: Local: Message timed out")

    def close(self) -> None:
        return None


def test_a_decision_stands_when_the_broker_is_away_and_its_label_follows_once_it_is_back(desk: Desk) -> None:
    claim = desk.claim_ids[0]
    broker = desk.feedback.publisher
    desk.feedback.publisher = BrokerAway()
    desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    decided = desk.client.post(
        f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 1800}, headers=ALICE
    )
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    assert human_entries(desk, claim) == ["human_take", "human_decision"]
    assert desk.bus.messages(topics.FEEDBACK) == [] and desk.feedback.pending() == 1
    metrics = desk.client.get("/metrics/").text
    assert "triage_outbox_pending 1.0" in metrics and "triage_outbox_relay_failures_total 1.0" in metrics
    assert 'triage_adjuster_decisions_total{outcome="approve"} 1.0' in metrics
    assert 'route="/v1/cases/{claim_id}/decision",status="200"} 1.0' in metrics and claim not in metrics
    desk.feedback.publisher = broker  # back: the relay (the app's background thread runs the same) sends it
    assert desk.feedback.relay() == 1
    [message] = desk.bus.messages(topics.FEEDBACK)
    assert AdjusterDecision.model_validate_json(message.value).claim_id == claim
    assert "triage_outbox_pending 0.0" in desk.client.get("/metrics/").text


class AuditDown:
    """An audit log whose database write fails."""

    def __init__(self, audit: AuditLog) -> None:
        self.audit = audit

    def append(self, entries: object, *, conn: object = None) -> int:
        raise OperationalError("INSERT INTO audit_entries", {}, Exception("disk I/O error"))

    def entries(self, *args: object, **kwargs: object) -> list[dict[str, object]]:
        return self.audit.entries(*args, **kwargs)  # type: ignore[arg-type]


def test_a_decision_whose_audit_entry_fails_is_not_recorded_and_can_be_made_again(desk: Desk) -> None:
    claim = desk.claim_ids[1]
    desk.client.post(f"/v1/cases/{claim}/take", headers=ALICE)
    failing = create_app(
        queue=desk.queue,
        cases=desk.store,
        audit=AuditDown(desk.audit),
        feedback=desk.feedback,
        token_secret=SECRET,
        clock=desk.clock,
        compliance=desk.reports,
    )
    failed = TestClient(failing, raise_server_exceptions=False).post(
        f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 1800}, headers=ALICE
    )
    assert failed.status_code == 500
    item = desk.queue.get(claim)
    assert item is not None and (item.status, item.held_by) == ("open", "alice")  # rolled back with the audit write
    assert desk.feedback.pending() == 0 and human_entries(desk, claim) == ["human_take"]
    again = desk.client.post(f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 1800}, headers=ALICE)
    assert again.status_code == 200 and human_entries(desk, claim) == ["human_take", "human_decision"]
    assert len(desk.bus.messages(topics.FEEDBACK)) == 1


class Announcing:
    """Publishes through `publisher`, then sets `published`."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher, self.published = publisher, threading.Event()

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        self.publisher.publish(outputs)
        self.published.set()

    def close(self) -> None:
        return None


def test_the_running_app_relays_labels_left_in_the_outbox(desk: Desk) -> None:
    claim = desk.claim_ids[2]
    with writing(desk.store.engine) as conn:  # what a decision left when the broker was away
        desk.feedback.add([Outgoing(topics.FEEDBACK, claim, b'{"left": "behind"}')], conn=conn, now=desk.clock.now)
    desk.feedback.publisher = announcing = Announcing(desk.feedback.publisher)
    app = create_app(
        queue=desk.queue,
        cases=desk.store,
        audit=desk.audit,
        feedback=desk.feedback,
        token_secret=SECRET,
        clock=desk.clock,
        relay_interval_s=0.01,
    )
    with TestClient(app):  # the lifespan runs the relay thread
        assert announcing.published.wait(30)
    assert [m.key for m in desk.bus.messages(topics.FEEDBACK)] == [claim.encode()] and desk.feedback.pending() == 0
