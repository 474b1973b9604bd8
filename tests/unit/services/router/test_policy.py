"""The routing policy: referral rules, straight-through, reasons and the policy version."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from claimgen.fnol import GeneratedClaim
from services.core.events import (
    ClaimCase,
    Extraction,
    Finding,
    FraudScore,
    Injury,
    ModelRef,
    Route,
    SeverityEstimate,
)
from services.core.runner import Delivery
from services.router.handler import decide
from services.router.policy import RoutingPolicy, load_policy

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MODEL = ModelRef(name="m", version="1", alias="champion")


def case_with(claim: GeneratedClaim, *, fraud: float, cost: float, upper: float, findings=(), missing=(),  # type: ignore[no-untyped-def]
              injuries=()) -> ClaimCase:
    fnol = claim.fnol.model_copy(update={"injuries": list(injuries)})
    return ClaimCase(
        event_id=uuid.uuid4(), claim_id=fnol.claim_id, occurred_at=NOW, accepted_at=NOW, fnol=fnol,
        extraction=Extraction(documents=[], fields=[], findings=[Finding(code=c, message=c) for c in findings],
                              missing_documents=list(missing)),
        fraud=FraudScore(probability=fraud, model=MODEL, reasons=[]),
        severity=SeverityEstimate(expected_cost=cost, upper_quantile=upper, quantile=0.9, model=MODEL),
    )


def route(case: ClaimCase):  # type: ignore[no-untyped-def]
    decided = decide(case, Delivery("t:0:0", NOW), policy=load_policy(), clock=lambda: NOW)
    assert decided.decision is not None
    return decided.decision


@pytest.fixture
def motor(sample_claims: list[GeneratedClaim]) -> GeneratedClaim:
    return next(c for c in sample_claims if c.fnol.line_of_business == "motor" and not c.red_flags)


def test_clean_cheap_claim_goes_straight_through(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, fraud=0.03, cost=900, upper=2500))
    assert decision.route is Route.STRAIGHT_THROUGH
    assert decision.policy_version == load_policy().version
    assert "3%" in decision.reasons[0] and "EUR 900" in decision.reasons[0]


def test_high_fraud_goes_to_investigations_with_every_reason(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, fraud=0.72, cost=900, upper=20000, findings=["loss_date_mismatch"]))
    assert (decision.route, decision.desk, decision.priority) == (Route.ADJUSTER, "special_investigations", 1)
    assert any("72%" in r for r in decision.reasons)
    assert any("loss_date_mismatch" in r for r in decision.reasons)
    assert any("15,000" in r for r in decision.reasons)


def test_injury_and_missing_documents_refer_the_claim(motor: GeneratedClaim) -> None:
    injured = route(case_with(motor, fraud=0.02, cost=900, upper=2000,
                              injuries=[Injury(person="A", severity="minor")]))
    assert injured.desk == "injury"
    missing = route(case_with(motor, fraud=0.02, cost=900, upper=2000, missing=["repair_estimate"]))
    assert (missing.route, missing.desk) == (Route.ADJUSTER, "general")
    assert "repair_estimate" in missing.reasons[0]


def test_a_policy_with_an_unknown_condition_is_refused() -> None:
    with pytest.raises(ValidationError):
        RoutingPolicy.model_validate({"version": "x", "straight_through_reason": "ok", "rules": [
            {"name": "r", "desk": "d", "priority": 1, "reason": "r", "when": {"fraud_probabilty_at_least": 0.5}}]})
