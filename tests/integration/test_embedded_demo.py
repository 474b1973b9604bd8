"""`triage demo`'s pipeline: generated FNOLs with PDFs through every stage in one process, on the embedded default."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import text

from services.app.demo import run_demo
from services.app.stages import STAGES, names, order
from services.core.audit import AuditLog
from services.core.events import Route
from services.core.settings import TriageSettings
from services.core.store import ClaimStore

pytestmark = pytest.mark.slow


def test_every_generated_claim_is_read_scored_decided_stored_and_audited(tmp_path: Path) -> None:
    settings = TriageSettings(bus="memory", data_dir=tmp_path)
    result = run_demo(settings, claims=40, seed=11, console=Console(quiet=True))

    assert result.dead_letters == 0
    assert len(result.decided) == len({c.claim_id for c in result.decided}) == 40
    for case in result.decided:
        assert case.extraction is not None and case.extraction.documents, case.claim_id
        assert all(d.error is None for d in case.extraction.documents), case.extraction.documents
        assert case.fraud is not None and 0 <= case.fraud.probability <= 1 and case.fraud.reasons
        assert case.severity is not None and case.decision is not None and case.decision.reasons
        assert [s.stage for s in case.trace] == names(STAGES)
    routes = Counter(c.decision.route for c in result.decided if c.decision)
    assert routes[Route.STRAIGHT_THROUGH] == len(result.settlements)  # one settlement per straight-through claim
    assert {s.claim_id for s in result.settlements} == {
        c.claim_id for c in result.decided if c.decision and c.decision.route is Route.STRAIGHT_THROUGH
    }

    store = ClaimStore(settings.resolved_database_url(), order())
    assert {store.view(c.claim_id).status for c in result.decided} == {"decided"}  # type: ignore[union-attr]
    audit = AuditLog(store.engine)
    assert audit.verify().intact
    per_claim = Counter(e["claim_id"] for e in audit.entries())
    assert all(per_claim[c.claim_id] == 3 for c in result.decided)  # fraud score, severity estimate, routing
    # Each decision's inputs digest is the record its stage consumed: the previous stage's stored case, byte for byte.
    with store.engine.connect() as conn:
        stored = {
            (row.claim_id, row.stage): hashlib.sha256(row.case_json.encode()).hexdigest()
            for row in conn.execute(text("SELECT claim_id, stage, case_json FROM stage_results"))
        }
    stages = names(STAGES)
    before = {stage: stages[stages.index(stage) - 1] for stage in ("fraud", "severity", "router")}
    given_by = {
        "fraud_score": before["fraud"],
        "severity_estimate": before["severity"],
        "routing_decision": before["router"],
    }
    for entry in audit.entries():
        assert entry["inputs_digest"] == stored[(entry["claim_id"], given_by[entry["kind"]])], entry
