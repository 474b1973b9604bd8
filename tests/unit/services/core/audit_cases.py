"""Routed claim cases for audit tests: a fraud score, a severity estimate and a routing decision each."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from claimgen.fnol import GeneratedClaim
from services.core.events import (
    ClaimCase,
    FraudScore,
    ModelRef,
    ReasonCode,
    Route,
    RoutingDecision,
    SeverityEstimate,
)

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def routed_case(claim: GeneratedClaim, minute: int = 0, probability: float = 0.2) -> ClaimCase:
    at = START + timedelta(minutes=minute)
    return ClaimCase(
        event_id=uuid.uuid4(),
        claim_id=claim.fnol.claim_id,
        occurred_at=at,
        accepted_at=at,
        fnol=claim.fnol,
        fraud=FraudScore(
            probability=probability,
            model=ModelRef(name="fraud", version="3", alias="champion"),
            reasons=[ReasonCode(code="new_policy", message="Policy incepted days before the loss", contribution=0.4)],
        ),
        severity=SeverityEstimate(
            expected_cost=2100.0,
            upper_quantile=4800.0,
            quantile=0.9,
            model=ModelRef(name="severity", version="2", alias="champion"),
        ),
        decision=RoutingDecision(
            route=Route.ADJUSTER,
            desk="general",
            priority=3,
            reasons=["Fraud probability 20 % is above the straight-through limit of 15 %."],
            policy_version="2026.11.1",
            decided_at=at,
        ),
    )
