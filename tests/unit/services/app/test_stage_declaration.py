"""A stage is declared once: a throwaway stage added to the list runs, records, audits and is ranked by the store."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict
from typer.testing import CliRunner

from claimgen.fnol import GeneratedClaim
from services.app.cli import app
from services.app.embedded import EmbeddedPipeline
from services.app.stages import STAGES, Handlers, StageDeclaration, declared, names
from services.core import topics
from services.core.audit import AuditEntry
from services.core.bus.port import Outgoing
from services.core.events import ClaimCase
from services.core.runner import Delivery
from services.core.settings import StageSettings, TriageSettings

TAGGED = "claims.tagged.v1"


class TaggerSettings(StageSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_TAGGER_", extra="ignore")


def tag(case: ClaimCase, delivery: Delivery) -> ClaimCase:
    assert delivery.source.startswith(f"{topics.FNOL}:")
    return case


def audit(case: ClaimCase, inputs: str) -> AuditEntry:
    return AuditEntry(
        entry_key=f"{case.claim_id}:tagger",
        recorded_at=case.occurred_at,
        claim_id=case.claim_id,
        kind="tag",
        actor="tagger",
        inputs_digest=inputs,
        outputs={},
        reasons=[],
    )


TAGGER = StageDeclaration(
    "tagger", TaggerSettings, topics.FNOL, TAGGED, "tagged", lambda deps, settings: Handlers(ClaimCase, tag), audit
)


def test_a_stage_added_to_the_list_runs_records_and_audits(tmp_path: Path, sample_claims: list[GeneratedClaim]) -> None:
    claims = [c.fnol for c in sample_claims[:5]]
    with EmbeddedPipeline(TriageSettings(data_dir=tmp_path), stages=[declared("intake"), TAGGER]) as pipeline:
        pipeline.bus.publisher().publish(
            [Outgoing(topics.FNOL_INBOUND, f.claim_id, f.model_dump_json().encode()) for f in claims]
        )
        watcher = pipeline.bus.stage_link("test", [TAGGED, topics.DLQ])
        tagged: list[ClaimCase] = []
        while len(tagged) < len(claims):
            batch = watcher.poll(100, 30.0)
            assert batch, f"nothing on {TAGGED} for 30 s; {len(tagged)} of {len(claims)} tagged"
            watcher.commit([], batch)
            assert all(m.topic == TAGGED for m in batch), "a claim went to the dead letters"
            tagged.extend(ClaimCase.model_validate_json(m.value) for m in batch)
    assert sorted(c.claim_id for c in tagged) == sorted(f.claim_id for f in claims)
    assert all([s.stage for s in c.trace] == ["intake", "tagger"] for c in tagged)
    view = pipeline.deps.store.view(claims[0].claim_id)
    assert view is not None and view.status == "tagged"
    assert [stage for stage, _ in view.stages] == ["intake", "tagger"]
    entries = [e for e in pipeline.deps.audit.entries() if e["kind"] == "tag"]
    assert sorted(e["claim_id"] for e in entries) == sorted(f.claim_id for f in claims)
    assert pipeline.deps.audit.verify().intact


def test_the_run_command_offers_every_declared_stage() -> None:
    refused = CliRunner().invoke(app, ["run", "no-such-stage"])
    assert refused.exit_code == 2
    for name in names(STAGES):
        assert name in refused.output
    assert "intake-api" in refused.output and "gateway" in refused.output
