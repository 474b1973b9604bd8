"""Straight-through settlement: the amount paid, and its event published with the decision, exactly once."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest

from claimgen.fnol import GeneratedClaim
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing, TransientBusError
from services.core.events import ClaimCase, Route, Settlement
from services.core.runner import Runner, Stage, drain
from services.router.handler import decide, decide_batch
from services.router.policy import load_policy
from services.router.settlement import payable, settlement_events
from tests.unit.services.router.conftest import NOW, FakePerils, case_with, route


@pytest.mark.parametrize(
    ("cost", "limit", "deductible", "amount", "capped"),
    [
        (900.0, 20_000.0, 300.0, Decimal("600.00"), False),
        (350.0, 20_000.0, 500.0, Decimal("0.00"), False),  # the deductible is above the estimate: nothing, not less
        (500.0, 20_000.0, 500.0, Decimal("0.00"), False),
        (25_000.0, 20_000.0, 400.0, Decimal("20000.00"), True),  # the deductible, then capped at the limit
        (1234.565, 20_000.0, 0.0, Decimal("1234.57"), False),  # cents, rounded half up
        (0.0, 20_000.0, 0.0, Decimal("0.00"), False),
    ],
)
def test_payable_is_the_cost_less_the_deductible_capped_at_the_limit(
    cost: float, limit: float, deductible: float, amount: Decimal, capped: bool
) -> None:
    owed = payable(cost, limit, deductible)
    assert owed is not None and (owed.amount, owed.capped) == (amount, capped)


def test_no_estimate_pays_nothing_and_is_never_settled_straight_through(motor: GeneratedClaim) -> None:
    assert payable(None, 20_000, 300) is None
    policy = load_policy()
    lenient = policy.model_copy(
        update={"rules": [r for r in policy.rules if r.name not in ("no_cost_estimate", "nothing_payable")]}
    )
    for case in (case_with(motor, cost=None, upper=None), case_with(motor, cost=200, policy={"deductible": 300})):
        decision = route(case, policy=lenient)  # no rule of this policy refers it: the router's own guard does
        assert (decision.route, decision.desk) == (Route.ADJUSTER, "general")
        assert decision.reasons[0].startswith("No rule refers the claim, but there is no positive amount to settle")


def test_a_straight_through_decision_carries_the_amount_and_calls_for_one_settlement(motor: GeneratedClaim) -> None:
    case = case_with(
        motor, cost=1800.4, upper=3000, policy={"deductible": 400, "sum_insured": 20_000}, loss={"claimed_amount": None}
    )
    decided = decide(case, None, policy=load_policy(), clock=lambda: NOW, perils=FakePerils())  # type: ignore[arg-type]
    assert decided.decision is not None and decided.decision.payable_amount == Decimal("1400.40")
    assert "pays USD 1,400.40" in decided.decision.reasons[0]
    [(topic, event)] = settlement_events(decided, policy=load_policy())
    assert topic == topics.SETTLEMENT and isinstance(event, Settlement)
    assert (event.payable_amount, event.deductible, event.capped_at_sum_insured) == (
        Decimal("1400.40"),
        Decimal("400.00"),
        False,
    )
    assert event.basis == "Expected cost USD 1,800.40, less the deductible USD 400.00: pays USD 1,400.40."
    assert (event.currency, event.paid_on, event.expected_cost) == ("USD", "expected_cost", Decimal("1800.40"))
    assert event.policy_number == motor.fnol.policy.policy_number and event.policy_version == "2026.12.4"
    assert settlement_events(decided, policy=load_policy()) == settlement_events(decided, policy=load_policy())


def test_a_referred_claim_calls_for_no_settlement(motor: GeneratedClaim) -> None:
    decided = decide(
        case_with(motor, fraud=0.8),
        None,
        policy=load_policy(),
        clock=lambda: NOW,  # type: ignore[arg-type]
        perils=FakePerils(),
    )
    assert settlement_events(decided, policy=load_policy()) == ()


def router_stage(perils: FakePerils) -> Stage[ClaimCase]:
    policy = load_policy()
    return Stage(
        "router",
        topics.ESTIMATED,
        topics.DECIDED,
        ClaimCase,
        partial(decide, policy=policy, clock=lambda: NOW, perils=perils),
        handle_batch=partial(decide_batch, policy=policy, clock=lambda: NOW, perils=perils),
        side_events=partial(settlement_events, policy=policy),
    )


def publish_estimated(bus: MemoryBus, cases: list[ClaimCase]) -> None:
    bus.publisher().publish([Outgoing(topics.ESTIMATED, c.claim_id, c.model_dump_json().encode()) for c in cases])


def test_settlements_are_committed_with_their_decisions_and_only_once(motor: GeneratedClaim) -> None:
    bus, perils = MemoryBus(), FakePerils()
    cases = [case_with(motor, cost=900), case_with(motor, fraud=0.9), case_with(motor, cost=1500)]
    cases = [
        c.model_copy(update={"claim_id": f"CLM-{i}", "fnol": c.fnol.model_copy(update={"claim_id": f"CLM-{i}"})})
        for i, c in enumerate(cases)
    ]
    publish_estimated(bus, cases)
    link = bus.stage_link("router", [topics.ESTIMATED])

    class DiesBeforeCommit:
        def poll(self, max_records: int, timeout_s: float):  # type: ignore[no-untyped-def]
            return link.poll(max_records, timeout_s)

        def commit(self, outputs, consumed):  # type: ignore[no-untyped-def]
            link.rewind()
            raise TransientBusError("broker gone")

    with pytest.raises(TransientBusError):
        Runner(router_stage(perils), DiesBeforeCommit(), poll_timeout_s=0.01).run_once()  # type: ignore[arg-type]
    assert bus.messages(topics.SETTLEMENT) == [] and bus.messages(topics.DECIDED) == []
    drain([Runner(router_stage(perils), link, poll_timeout_s=0.01)])
    decided = [ClaimCase.model_validate_json(m.value) for m in bus.messages(topics.DECIDED)]
    settled = [Settlement.model_validate_json(m.value) for m in bus.messages(topics.SETTLEMENT)]
    assert [c.decision.route for c in decided] == [  # type: ignore[union-attr]
        Route.STRAIGHT_THROUGH,
        Route.ADJUSTER,
        Route.STRAIGHT_THROUGH,
    ]
    assert [(s.claim_id, s.payable_amount) for s in settled] == [
        ("CLM-0", Decimal("900.00") - Decimal(str(motor.fnol.policy.deductible)).quantize(Decimal("0.01"))),
        ("CLM-2", Decimal("1500.00") - Decimal(str(motor.fnol.policy.deductible)).quantize(Decimal("0.01"))),
    ]
    assert [m.key for m in bus.messages(topics.SETTLEMENT)] == [b"CLM-0", b"CLM-2"]
    assert perils.calls[-1] == 3  # the batch's descriptions read in one call
