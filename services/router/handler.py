"""Router: read the cause of loss, then decide straight-through settlement or an adjuster desk, by the policy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from services.core.events import ClaimCase, PerilAssessment, Route, RoutingDecision
from services.core.runner import Delivery
from services.router.facts import Facts, facts, matches, wording
from services.router.policy import Conditions, RoutingPolicy, Rule, recommendation
from services.router.settlement import basis

# Whatever the policy file says, a claim with nothing to pay, or documented in another currency than its policy's,
# is not settled straight through: a handler decides.
NOTHING_TO_SETTLE = Rule(
    name="nothing_to_settle",
    desk="general",
    priority=4,
    when=Conditions(nothing_payable=True),
    recommends="request_documents",
    reason="No rule refers the claim, but there is no positive amount to settle straight through "
    "(amount payable: {payable_amount}): a handler must decide it.",
)
FOREIGN_CURRENCY = Rule(
    name="foreign_currency",
    desk="general",
    priority=3,
    when=Conditions(document_currency_differs=True),
    reason="No rule refers the claim, but a document states an amount in another currency than the policy's "
    "{currency} ({foreign_amounts}): it is never paid straight through; a handler must decide it.",
)


class PerilReader(Protocol):
    """Reads the cause of loss of claim cases (models/peril's live champion, or a fake in tests)."""

    def assess_many(self, cases: Sequence[ClaimCase]) -> list[PerilAssessment]: ...


def decide(
    case: ClaimCase, delivery: Delivery, *, policy: RoutingPolicy, clock: Callable[[], datetime], perils: PerilReader
) -> ClaimCase:
    """The case with its peril and its routing decision: route, desk, priority, SLA, amount, reasons, version."""
    return decide_batch([case], [delivery], policy=policy, clock=clock, perils=perils)[0]


def decide_batch(
    cases: Sequence[ClaimCase],
    deliveries: Sequence[Delivery],
    *,
    policy: RoutingPolicy,
    clock: Callable[[], datetime],
    perils: PerilReader,
) -> list[ClaimCase]:
    """`decide` for a batch: the peril model reads every description in one call."""
    assessed = [
        case.model_copy(update={"peril": peril}) for case, peril in zip(cases, perils.assess_many(cases), strict=True)
    ]
    return [case.model_copy(update={"decision": routing_decision(case, policy, clock())}) for case in assessed]


def routing_decision(case: ClaimCase, policy: RoutingPolicy, now: datetime) -> RoutingDecision:
    """The decision the policy makes for a case whose sections are all there."""
    f = facts(case, policy)
    words = wording(f)
    matched = [rule for rule in policy.rules if matches(rule.when, f)]
    if not matched and matches(FOREIGN_CURRENCY.when, f):
        matched = [FOREIGN_CURRENCY]
    if not matched and not _settleable(f):
        matched = [NOTHING_TO_SETTLE]
    if not matched:
        return RoutingDecision(
            route=Route.STRAIGHT_THROUGH,
            desk=None,
            priority=5,
            reasons=[" ".join(policy.straight_through_reason.format(**words).split())],
            policy_version=policy.version,
            decided_at=now,
            payable_amount=f.payable_amount,
            amount_basis=basis(f.payable) if f.payable else None,
        )
    desk, priority = matched[0].desk, min(rule.priority for rule in matched)
    return RoutingDecision(
        route=Route.ADJUSTER,
        desk=desk,
        priority=priority,
        reasons=[rule.reason.format(**words) for rule in matched],
        policy_version=policy.version,
        decided_at=now,
        sla_due_at=policy.sla_due(case.accepted_at, desk, priority),
        recommendation=recommendation(matched),
        proposed_amount=f.payable_amount,
        amount_basis=basis(f.payable) if f.payable else None,
    )


def _settleable(f: Facts) -> bool:
    return f.payable_amount is not None and f.payable_amount > 0
