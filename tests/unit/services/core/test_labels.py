"""Decided queue rows joined with the FNOLs intake accepted: the labels retraining reads."""

from __future__ import annotations

from datetime import timedelta

from claimgen.fnol import GeneratedClaim
from services.adjuster.queue import QueueStore
from services.app.stages import order
from services.core.store import ClaimStore
from tests.unit.services.core.audit_cases import START, routed_case
from training.labels import LabelStore


def test_decided_claims_come_with_their_fnols_oldest_first(
    database_url: str, sample_claims: list[GeneratedClaim]
) -> None:
    store = ClaimStore(database_url, order())
    queue = QueueStore(store.engine)
    cases = [routed_case(claim, minute=i) for i, claim in enumerate(sample_claims[:4])]
    store.record_stage("intake", cases[:3])  # the fourth claim's FNOL is not in the store
    queue.enqueue(cases)
    decisions = [(cases[1], "deny", None), (cases[0], "approve", 1234.5), (cases[3], "refer", None)]
    for minute, (case, outcome, amount) in enumerate(decisions):
        now = START + timedelta(hours=1, minutes=minute)
        queue.take(case.claim_id, "alice", now, timedelta(minutes=30))
        queue.decide(case.claim_id, "alice", now, decision=outcome, amount=amount, reason="checked")

    decided = LabelStore(store.engine).decided()

    assert [(d.claim_id, d.outcome, d.amount) for d in decided] == [
        (cases[1].claim_id, "deny", None),
        (cases[0].claim_id, "approve", 1234.5),
    ]  # cases[2] open, [3] no FNOL
    assert decided[1].fnol == cases[0].fnol and decided[1].desk == "general"
    assert decided[0].decided_at == START + timedelta(hours=1)
    assert LabelStore(store.engine).decided(until=START + timedelta(hours=1, seconds=30)) == decided[:1]
