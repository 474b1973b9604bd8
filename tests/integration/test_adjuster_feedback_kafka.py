"""An adjuster's decision on the real broker: its label, committed with it through the outbox, is on
claims.feedback.v1 once the API has answered, and the outbox is empty."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from benchmarks.kafka_tools import KafkaBenchBus
from claimgen.fnol import GeneratedClaim
from services.adjuster.api import create_app
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.app.stages import order
from services.core import topics
from services.core.audit import AuditLog
from services.core.auth import Role
from services.core.events.feedback import AdjusterDecision
from services.core.settings import TriageSettings
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import SECRET, Clock, fill, token
from tests.unit.services.core.audit_cases import START

pytestmark = pytest.mark.kafka


def test_a_decision_s_label_reaches_the_feedback_topic(
    kafka_bootstrap: str, tmp_path: Path, sample_claims: list[GeneratedClaim]
) -> None:
    bus = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap))
    bus.ensure_topics(topics.ALL)
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    queue = QueueStore(store.engine)
    claim = fill(store, queue, sample_claims)[0]
    publisher = bus.publisher()
    feedback = Outbox(store.engine, publisher)
    app = create_app(
        queue=queue,
        cases=store,
        audit=AuditLog(store.engine),
        feedback=feedback,
        token_secret=SECRET,
        clock=Clock(START + timedelta(hours=1)),
    )
    tail = bus.tail([topics.FEEDBACK])  # from now on
    alice = token("alice", Role.ADJUSTER)
    client = TestClient(app)
    assert client.post(f"/v1/cases/{claim}/take", headers=alice).status_code == 200
    decided = client.post(f"/v1/cases/{claim}/decision", json={"outcome": "approve", "amount": 1800}, headers=alice)
    assert decided.status_code == 200
    assert feedback.pending() == 0  # the broker acknowledged it before the API answered
    labels = []
    deadline = time.monotonic() + 60
    while not labels and time.monotonic() < deadline:
        labels = [AdjusterDecision.model_validate_json(m.value) for m in tail.poll(10, 1.0) if m.key == claim.encode()]
    tail.close()
    publisher.close()
    assert [(label.claim_id, label.outcome.value, label.amount) for label in labels] == [(claim, "approve", 1800)]
