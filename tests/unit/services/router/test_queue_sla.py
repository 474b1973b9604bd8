"""The adjuster queue takes each case's SLA due time from its routing decision."""

from __future__ import annotations

from datetime import timedelta

from claimgen.fnol import GeneratedClaim
from services.adjuster.listing import SlaState
from services.adjuster.queue import QueueStore
from services.app.stages import order
from services.core.events import Injury
from services.core.store import ClaimStore
from services.router.handler import decide
from services.router.policy import load_policy
from tests.unit.services.router.conftest import ACCEPTED, NOW, FakePerils, case_with


def test_the_queue_states_the_sla_the_router_decided(database_url: str, motor: GeneratedClaim) -> None:
    injured = case_with(motor, fnol={"injuries": [Injury(person="A", severity="minor")]})
    decided = decide(injured, None, policy=load_policy(), clock=lambda: NOW, perils=FakePerils())  # type: ignore[arg-type]
    queue = QueueStore(ClaimStore(database_url, order()).engine)
    queue.enqueue([decided])
    item = queue.get(decided.claim_id)
    due = ACCEPTED + timedelta(hours=8)  # the injury desk's priority-2 hours, from intake's acceptance
    assert item is not None and item.sla_due_at == due == decided.decision.sla_due_at  # type: ignore[union-attr]
    assert item.sla_state(due - timedelta(hours=5)) is SlaState.ON_TIME
    assert item.sla_state(due - timedelta(hours=1)) is SlaState.DUE_SOON
    assert item.sla_state(due + timedelta(minutes=1)) is SlaState.BREACHED
    assert [i.claim_id for i in queue.list(now=due + timedelta(minutes=1), sla=SlaState.BREACHED)] == [item.claim_id]
