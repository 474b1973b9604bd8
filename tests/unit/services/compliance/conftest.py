"""A small generated run for the compliance report: 400 routed claims with a built-in disparity and drift.

- Women are referred to a desk four times as often as men (a disparity the report must flag).
- Claims 0-199 were scored by fraud v3, whose training reference is this very population (PSI ~0);
  claims 200-399 by fraud v4 (challenger arm), whose reference was 25 years older (claimant_age drifts).
- Adjusters decide every referred claim; on the general desk they override one decision in four.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from claimgen.fnol import generate_claims
from models.drift import DriftReference
from models.features import FeatureSpec
from models.fraud.features import CATEGORICAL, NUMERIC, ORDINAL, fraud_features
from models.registry import VersionFacts
from services.app.stages import audit_entries, order
from services.core.audit import AuditEntry, AuditLog
from services.core.events import ClaimCase, FraudScore, ModelRef, Route, RoutingDecision, SeverityEstimate, Sex
from services.core.store import ClaimStore

START = datetime(2026, 11, 2, tzinfo=UTC)
DAYS = 4


@dataclass
class FakeFacts:
    """ModelFacts with references given by the test."""

    references: dict[tuple[str, str], DriftReference]
    versions: dict[tuple[str, str], VersionFacts] = field(default_factory=dict)

    def reference(self, name: str, version: str) -> DriftReference | None:
        return self.references.get((name, version))

    def facts(self, name: str, version: str) -> VersionFacts | None:
        return self.versions.get((name, version))


@dataclass
class Run:
    audit: AuditLog
    store: ClaimStore
    facts: FakeFacts
    cases: list[ClaimCase]


def _case(claim, i: int, rng: np.random.Generator) -> ClaimCase:  # type: ignore[no-untyped-def]
    at = START + timedelta(hours=i * DAYS * 24 / 400)
    female = claim.fnol.claimant.sex is Sex.FEMALE
    referred = rng.random() < (0.8 if female else 0.2)
    desk = ("special_investigations" if rng.random() < 0.25 else "general") if referred else None
    version, arm = ("3", "champion") if i < 200 else ("4", "challenger")
    probability = float(rng.uniform(0.5, 0.9) if desk == "special_investigations" else rng.uniform(0, 0.4))
    return ClaimCase(
        event_id=uuid.uuid4(),
        claim_id=claim.fnol.claim_id,
        occurred_at=at,
        accepted_at=at,
        fnol=claim.fnol,
        fraud=FraudScore(
            probability=probability, model=ModelRef(name="fraud", version=version, alias=arm, arm=arm), reasons=[]
        ),
        severity=SeverityEstimate(
            expected_cost=float(rng.lognormal(7.5, 0.8)),
            upper_quantile=9000.0,
            quantile=0.9,
            model=ModelRef(name="severity", version="2", alias="champion"),
        ),
        decision=RoutingDecision(
            route=Route.ADJUSTER if referred else Route.STRAIGHT_THROUGH,
            desk=desk,
            priority=3,
            reasons=["test"],
            policy_version="2026.11.1",
            decided_at=at,
        ),
    )


def _human(case: ClaimCase, i: int) -> AuditEntry | None:
    if case.decision is None or case.decision.desk is None:
        return None
    recommendation = "refer" if case.decision.desk == "special_investigations" else "approve"
    decision = "deny" if recommendation == "approve" and i % 4 == 0 else recommendation
    return AuditEntry(
        entry_key=f"{case.claim_id}:decision",
        recorded_at=case.occurred_at + timedelta(hours=1),
        claim_id=case.claim_id,
        kind="human_decision",
        actor="alice",
        inputs_digest="0" * 64,
        outputs={"decision": decision, "recommendation": recommendation, "desk": case.decision.desk},
        reasons=["r"] if decision != recommendation else [],
    )


def reference_of(cases: list[ClaimCase], age_shift: float = 0.0) -> DriftReference:
    rows = [fraud_features(c.fnol) for c in cases]
    rows = [{**r, "claimant_age": (r["claimant_age"] or 0) + age_shift} for r in rows]
    spec = FeatureSpec.learn(rows, numeric=NUMERIC, categorical=CATEGORICAL, ordinal=ORDINAL)
    return DriftReference.learn(spec, rows, [c.fraud.probability for c in cases if c.fraud])


@pytest.fixture
def run(tmp_path) -> Run:  # type: ignore[no-untyped-def]
    claims = generate_claims(400, seed=21, now=START)
    rng = np.random.default_rng(5)
    cases = [_case(c, i, rng) for i, c in enumerate(claims)]
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    audit = AuditLog(store.engine)
    store.record_stage("router", cases)
    for stage in ("fraud", "severity", "router"):
        audit.append(audit_entries(stage, cases))
    audit.append([e for i, c in enumerate(cases) if (e := _human(c, i)) is not None])
    facts = FakeFacts({("fraud", "3"): reference_of(cases[:200]), ("fraud", "4"): reference_of(cases[200:], 25.0)})
    return Run(audit, store, facts, cases)
