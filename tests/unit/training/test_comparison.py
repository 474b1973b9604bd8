"""`triage models compare` on a generated run: two real fraud models split 30/70 with shadows, the real policy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimgen.fnol import generate_claims
from models.arms import SplitPolicy
from models.client.inprocess import InProcessModels
from models.fraud.model import FraudModel
from models.live import LiveModels
from models.severity.model import SeverityModel
from services.adjuster.queue import QueueStore
from services.app.cli import app
from services.app.stages import audit_entries, order
from services.core.audit import AuditLog
from services.core.events import ClaimCase, Extraction, ModelRef
from services.core.store import ClaimStore
from services.router.handler import routing_decision
from services.router.policy import load_policy
from tests.unit.models.conftest import small_fraud_model, small_severity_model, synthetic_fraud
from training.comparison import compare, fraud_label, html
from training.fraud import train_fraud
from training.labels import LabelStore
from training.sources import TrainingSet

__all__ = ["small_fraud_model", "small_severity_model", "synthetic_fraud"]
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@dataclass
class TwoVersions:
    """A registry whose versions are given models (v1 and v2 differ), named as asked."""

    models: dict[str, Any]
    aliases: dict[str, str] = field(default_factory=dict)

    def version_of(self, name: str, alias: str) -> str | None:
        return self.aliases.get(alias)

    def load_version(self, name: str, version: str, alias: str) -> Any:
        return self.models[version].with_ref(ModelRef(name=name, version=version, alias=alias))


@pytest.fixture(scope="module")
def weaker_fraud_model(synthetic_fraud: TrainingSet) -> FraudModel:
    return train_fraud(synthetic_fraud, rounds=15, folds=2).model


@pytest.fixture
def run(
    tmp_path: Path, small_fraud_model: FraudModel, weaker_fraud_model: FraudModel, small_severity_model: SeverityModel
) -> tuple[ClaimStore, list[ClaimCase]]:
    """300 claims scored by both arms, routed by the real policy, stored and audited; some decided by adjusters."""
    policy = SplitPolicy(challenger_share=0.3, shadow=True)
    fraud = LiveModels(
        TwoVersions({"1": small_fraud_model, "2": weaker_fraud_model}, {"champion": "1", "challenger": "2"}), "fraud"
    )
    severity = LiveModels(TwoVersions({"1": small_severity_model}, {"champion": "1"}), "severity")
    models = InProcessModels(fraud=fraud, severity=severity, policy=policy)
    complete = Extraction(documents=[], fields=[], findings=[], missing_documents=[])
    cases = [
        ClaimCase(
            event_id=uuid.uuid4(),
            claim_id=g.fnol.claim_id,
            occurred_at=NOW,
            accepted_at=NOW,
            fnol=g.fnol,
            extraction=complete,
        )
        for g in generate_claims(300, seed=23, now=NOW)
    ]
    cases = [c.model_copy(update={"fraud": f}) for c, f in zip(cases, models.score_many(cases), strict=True)]
    cases = [c.model_copy(update={"severity": s}) for c, s in zip(cases, models.estimate_many(cases), strict=True)]
    rules = load_policy()
    cases = [c.model_copy(update={"decision": routing_decision(c, rules, NOW)}) for c in cases]
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    store.record_stage("intake", cases)  # the FNOLs adjusters' labels are joined with
    store.record_stage("router", cases)
    AuditLog(store.engine).append(audit_entries("router", cases))
    queue = QueueStore(store.engine)
    queue.enqueue(cases)
    for i, case in enumerate(c for c in cases if c.decision and c.decision.desk):
        outcome = "refer" if case.fraud and case.fraud.probability > 0.5 else ("approve" if i % 3 else "deny")
        queue.take(case.claim_id, "alice", NOW, timedelta(hours=1))
        queue.decide(
            case.claim_id, "alice", NOW, decision=outcome, amount=900.0 if outcome == "approve" else None, reason="test"
        )
    return store, cases


def test_agreement_routes_and_arm_metrics(run: tuple[ClaimStore, list[ClaimCase]]) -> None:
    store, cases = run
    rules = load_policy()
    decided = LabelStore(store.engine).decided()
    result = compare(cases, lambda case: routing_decision(case, rules, NOW), decided)
    claims = result.claims.set_index("claim_id")
    assert len(claims) == 300 and result.versions == {"champion": "1", "challenger": "2"}
    for case in cases:  # the route the deciding arm's scores gave is the one the router took
        row = claims.loc[case.claim_id]
        assert case.fraud is not None and case.fraud.shadow is not None and case.decision is not None
        assert row["arm"] == case.fraud.model.arm
        assert row[f"{row['arm']}_fraud"] == case.fraud.probability
        assert row[f"{row['arm']}_route"] == case.decision.route.value
        assert row[f"{case.fraud.shadow.model.arm}_fraud"] == case.fraud.shadow.probability
    summary = result.summary
    assert 0.2 < summary["decided_by_challenger"] / 300 < 0.4
    assert summary["fraud_mean_abs_diff"] > 0 and 0 < summary["route_agreement"] <= 1
    assert len(decided) == sum(1 for c in cases if c.decision and c.decision.desk)
    assert summary["labelled"] == sum(1 for d in decided if fraud_label(d) is not None) > 20
    metrics = result.arm_metrics()
    assert metrics["champion"]["fraud_labelled"] == metrics["challenger"]["fraud_labelled"] > 0
    assert metrics["champion"]["fraud_roc_auc"] != metrics["challenger"]["fraud_roc_auc"]
    assert result.routes().to_numpy().sum() == 300
    page = html(result)
    assert page.count("data:image/png;base64,") == 2 and "champion v1 against challenger v2" in page


def test_labels_follow_the_feedback_policy() -> None:
    from training.labels import DecidedClaim

    fnol = generate_claims(1, seed=1)[0].fnol

    def decided(outcome: str, desk: str = "general") -> DecidedClaim:
        return DecidedClaim("C", desk, outcome, None, NOW, fnol)

    assert [fraud_label(decided(o)) for o in ("refer", "deny", "approve", "request_documents")] == [1, 1, 0, None]
    assert fraud_label(decided("deny", "coverage")) is None


def test_the_command_writes_the_page(
    run: tuple[ClaimStore, list[ClaimCase]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    out = tmp_path / "compare.html"
    result = CliRunner().invoke(app, ["models", "compare", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "route_agreement" in result.output and "fraud_roc_auc" in result.output
    assert "data:image/png;base64," in out.read_text()


def test_no_challenger_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    result = CliRunner().invoke(app, ["models", "compare", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "scored by both arms" in result.output
