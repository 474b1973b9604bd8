"""Migration 0007 gives the cases queued before it the facts the queue page sorts by, from the router's case."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, select, text

from claimgen.fnol import GeneratedClaim
from services.core.database import alembic_config
from services.core.tables import queue_items
from tests.unit.services.core.audit_cases import START, routed_case


def test_cases_queued_before_the_migration_get_their_facts(tmp_path: Path, sample_claims: list[GeneratedClaim]) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cases = [routed_case(claim, minute=i, probability=0.3 + 0.1 * i) for i, claim in enumerate(sample_claims[:3])]
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0006")
        for case in cases:
            conn.execute(
                text(
                    "INSERT INTO stage_results (claim_id, stage, event_id, case_json, recorded_at) "
                    "VALUES (:id, 'router', :event, :case, :at)"
                ),
                {"id": case.claim_id, "event": str(case.event_id), "case": case.model_dump_json(), "at": START},
            )
        for case in cases[:2]:  # the third was never queued
            conn.execute(
                text(
                    "INSERT INTO queue_items (claim_id, desk, priority, sla_due_at, queued_at, status, recommendation,"
                    " payable_limit) VALUES (:id, 'general', 3, :due, :at, 'open', 'approve', 1000)"
                ),
                {"id": case.claim_id, "due": START + timedelta(hours=48), "at": START},
            )
        command.upgrade(alembic_config(conn), "head")
        rows = {r.claim_id: r for r in conn.execute(select(queue_items))}
    assert set(rows) == {cases[0].claim_id, cases[1].claim_id}
    for case in cases[:2]:
        row, fnol = rows[case.claim_id], case.fnol
        assert (row.claimant, row.line_of_business, row.currency) == (
            fnol.claimant.name,
            fnol.line_of_business.value,
            fnol.policy.currency,
        )
        assert row.fraud_probability == case.fraud.probability  # type: ignore[union-attr]
        assert row.claimed_amount == fnol.loss.claimed_amount
        same_currency = case.severity.currency == fnol.policy.currency  # type: ignore[union-attr]
        assert row.expected_cost == (case.severity.expected_cost if same_currency else None)  # type: ignore[union-attr]
