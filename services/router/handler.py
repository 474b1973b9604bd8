"""Router: decide straight-through settlement or an adjuster desk, by the routing policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.core.events import ClaimCase, Route, RoutingDecision
from services.core.runner import Delivery
from services.router.policy import Facts, RoutingPolicy, facts, matches


def decide(case: ClaimCase, delivery: Delivery, *, policy: RoutingPolicy, clock: Callable[[], datetime]) -> ClaimCase:
    """The case with its routing decision: route, desk, priority, every reason, policy version."""
    f = facts(case)
    wording = _wording(f)
    matched = [rule for rule in policy.rules if matches(rule.when, f)]
    if matched:
        decision = RoutingDecision(
            route=Route.ADJUSTER,
            desk=matched[0].desk,
            priority=min(rule.priority for rule in matched),
            reasons=[rule.reason.format(**wording) for rule in matched],
            policy_version=policy.version,
            decided_at=clock(),
        )
    else:
        decision = RoutingDecision(
            route=Route.STRAIGHT_THROUGH, desk=None, priority=5,
            reasons=[" ".join(policy.straight_through_reason.format(**wording).split())],
            policy_version=policy.version, decided_at=clock(),
        )
    return case.model_copy(update={"decision": decision})


def _wording(f: Facts) -> dict[str, str]:
    """Facts as a reason quotes them."""
    def money(value: float | None) -> str:
        return f"EUR {value:,.0f}" if value is not None else "not estimated"

    return {
        "fraud_probability": f"{f.fraud_probability:.0%}" if f.fraud_probability is not None else "not scored",
        "expected_cost": money(f.expected_cost),
        "upper_quantile": money(f.upper_quantile),
        "missing_documents": ", ".join(f.missing_documents) or "none",
        "findings": ", ".join(f.findings) or "none",
    }
