"""Settling on what the documents state: the amount paid, its basis and currency, and the claims referred instead."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claimgen.fnol import GeneratedClaim
from services.core.events import ClaimCase, Route, Settlement
from services.router.facts import facts, wording
from services.router.handler import decide
from services.router.policy import RoutingPolicy, load_policy
from services.router.settlement import payable, settlement_events
from tests.unit.services.router.conftest import NOW, FakePerils, case_with, document, route

ESTIMATE = document("estimate.pdf", "repair_estimate", "1950.50")


def settled(case: ClaimCase, policy: RoutingPolicy | None = None) -> tuple[ClaimCase, Settlement]:
    policy = policy or load_policy()
    decided = decide(case, None, policy=policy, clock=lambda: NOW, perils=FakePerils())  # type: ignore[arg-type]
    assert decided.decision is not None and decided.decision.route is Route.STRAIGHT_THROUGH, decided.decision
    [(_, event)] = settlement_events(decided, policy=policy)
    assert isinstance(event, Settlement)
    return decided, event


def test_a_documented_amount_is_paid_rather_than_the_expected_cost(motor: GeneratedClaim) -> None:
    decided, event = settled(case_with(motor, cost=1500, documents=[ESTIMATE], policy={"deductible": 400}))
    assert decided.decision is not None and decided.decision.payable_amount == Decimal("1550.50")
    assert event.basis == (
        "Repair estimate estimate.pdf USD 1,950.50, less the deductible USD 400.00: pays USD 1,550.50."
    )
    assert decided.decision.reasons[0].endswith("Settled straight through: " + event.basis)
    assert (event.paid_on, event.documented_amount, event.document_filename, event.currency) == (
        "document",
        Decimal("1950.50"),
        "estimate.pdf",
        "USD",
    )
    assert event.document_sha256 == ESTIMATE.summary.sha256 and event.expected_cost == Decimal("1500.00")


@pytest.mark.parametrize(
    ("cost", "limit", "deductible", "claimed", "amount", "limited", "capped"),
    [
        (3500, 20_000, 500, None, Decimal("3000.00"), False, False),
        (3500, 20_000, 500, 3200, Decimal("2700.00"), True, False),  # no more than claimed, then the deductible
        (3500, 20_000, 500, 3600, Decimal("3000.00"), False, False),
        (25_000, 20_000, 500, None, Decimal("20000.00"), False, True),  # the deductible, then the cap
        (400, 20_000, 500, None, Decimal("0.00"), False, False),
    ],
)
def test_payable_is_the_cost_no_more_than_claimed_less_the_deductible_capped_at_the_limit(
    cost: float, limit: float, deductible: float, claimed: float | None, amount: Decimal, limited: bool, capped: bool
) -> None:
    owed = payable(Decimal(cost), limit, deductible, claimed)
    assert owed is not None and (owed.amount, owed.limited_to_claimed, owed.capped) == (amount, limited, capped)


def test_the_basis_says_when_the_claim_or_the_limit_bounds_the_payment(motor: GeneratedClaim) -> None:
    _, limited = settled(
        case_with(motor, documents=[ESTIMATE], policy={"deductible": 400}, loss={"claimed_amount": 1800})
    )
    assert limited.basis == (
        "Repair estimate estimate.pdf USD 1,950.50, limited to the amount claimed USD 1,800.00, "
        "less the deductible USD 400.00: pays USD 1,400.00."
    )
    assert limited.claimed_amount == Decimal("1800.00") and limited.payable_amount == Decimal("1400.00")
    _, capped = settled(
        case_with(
            motor,
            documents=[ESTIMATE],
            policy={"deductible": 400, "sum_insured": 1000},
            loss={"claimed_amount": None},
            cost=900,
        )
    )
    assert capped.basis.endswith(
        "less the deductible USD 400.00, capped at the sum insured USD 1,000.00: pays USD 1,000.00."
    )


def test_without_a_model_estimate_the_documented_amount_still_settles(motor: GeneratedClaim) -> None:
    decided, event = settled(case_with(motor, cost=None, upper=None, documents=[ESTIMATE]))
    assert event.paid_on == "document" and event.expected_cost is None and event.severity_model is None
    assert decided.decision is not None and "expected cost not estimated" in decided.decision.reasons[0]


def test_without_an_estimate_or_a_documented_amount_the_router_says_why(motor: GeneratedClaim) -> None:
    case = case_with(motor, cost=None, upper=None)
    note = (
        "severity model severity@champion (version 3) is trained on motor claims in FR, in EUR; "
        "this claim is from US in USD"
    )
    case = case.model_copy(update={"severity": case.severity.model_copy(update={"note": note})})  # type: ignore[union-attr]
    decision = route(case)
    assert (decision.route, decision.desk) == (Route.ADJUSTER, "general")
    assert f"No cost estimate ({note}) and no document states an amount: a handler must reserve it." in decision.reasons


def test_an_estimate_in_another_currency_than_the_policy_is_never_paid(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, cost=900, estimate_currency="EUR"))
    assert decision.route is Route.ADJUSTER and decision.payable_amount is None
    assert (
        "No cost estimate (the estimate is in EUR, the policy in USD) and no document states an amount: a "
        "handler must reserve it." in decision.reasons
    )


def test_a_document_in_another_currency_is_a_reason_and_never_paid(motor: GeneratedClaim) -> None:
    rupees = document("estimate.pdf", "repair_estimate", "185000.00", currency="INR")
    decision = route(case_with(motor, documents=[rupees]))
    assert (decision.route, decision.desk, decision.payable_amount) == (Route.ADJUSTER, "general", None)
    assert decision.reasons == [
        "A document states an amount in another currency than the policy's USD: Repair estimate estimate.pdf INR "
        "185,000.00. It is never paid as it stands: a handler settles the claim in USD."
    ]


def test_whatever_the_policy_says_a_document_in_another_currency_goes_to_a_desk(motor: GeneratedClaim) -> None:
    policy = load_policy()
    lenient = policy.model_copy(update={"rules": [r for r in policy.rules if r.name != "document_currency_differs"]})
    rupees = document("bill.pdf", "invoice", "1000.00", currency="INR")
    decision = route(case_with(motor, documents=[rupees, ESTIMATE]), policy=lenient)
    assert (decision.route, decision.desk) == (Route.ADJUSTER, "general")
    assert decision.reasons[0].startswith(
        "No rule refers the claim, but a document states an amount in another "
        "currency than the policy's USD (Invoice bill.pdf INR 1,000.00)"
    )


@pytest.mark.parametrize(("cost", "far"), [(640, True), (660, False), (5900, False), (5950, True)])
def test_a_documented_amount_far_from_the_expected_cost_is_referred(
    motor: GeneratedClaim, cost: float, far: bool
) -> None:
    decision = route(case_with(motor, cost=cost, upper=cost * 2, documents=[ESTIMATE], loss={"claimed_amount": None}))
    reasons = [r for r in decision.reasons if "(outside 0.33 to 3 times it)" in r]
    assert bool(reasons) == far
    if cost == 640:
        assert reasons == [
            "Repair estimate estimate.pdf USD 1,950.50 is 3.05 times the expected cost USD 640 "
            "(outside 0.33 to 3 times it): a handler checks the document against the loss."
        ]


def test_a_documented_amount_above_the_authority_is_referred(motor: GeneratedClaim) -> None:
    large = document("estimate.pdf", "repair_estimate", "5200.00")
    decision = route(case_with(motor, cost=4000, upper=9000, documents=[large], loss={"claimed_amount": None}))
    assert decision.desk == "general"
    assert (
        "Repair estimate estimate.pdf USD 5,200.00 is above the straight-through authority of 5,000."
        in decision.reasons
    )


def test_the_policy_sets_how_surely_an_amount_must_be_read(motor: GeneratedClaim) -> None:
    unsure = document("estimate.pdf", "repair_estimate", "1950.50", confidence=0.7)
    _, on_the_model = settled(case_with(motor, cost=1500, documents=[unsure]))
    assert on_the_model.paid_on == "expected_cost"
    policy = load_policy()
    trusting = policy.model_copy(
        update={"settlement": policy.settlement.model_copy(update={"min_document_confidence": 0.6})}
    )
    _, on_the_document = settled(case_with(motor, cost=1500, documents=[unsure]), trusting)
    assert on_the_document.paid_on == "document"


def test_every_reason_of_the_policy_can_be_worded(motor: GeneratedClaim) -> None:
    policy = load_policy()
    for case in (case_with(motor, documents=[ESTIMATE]), case_with(motor, cost=None, upper=None)):
        words = wording(facts(case, policy))
        for text in [policy.straight_through_reason, *(rule.reason for rule in policy.rules)]:
            assert "{" not in text.format(**words)


def test_a_settlement_is_in_the_policy_currency(motor: GeneratedClaim) -> None:
    rupees = document("estimate.pdf", "repair_estimate", "185000.00", currency="INR")
    _, event = settled(
        case_with(
            motor,
            cost=150_000,
            upper=300_000,
            documents=[rupees],
            loss={"claimed_amount": None},
            policy={"currency": "INR", "sum_insured": 900_000, "deductible": 5000},
        ),
        _without_authority_limits(),
    )
    assert (event.currency, event.payable_amount) == ("INR", Decimal("180000.00"))
    assert event.basis == (
        "Repair estimate estimate.pdf INR 185,000.00, less the deductible INR 5,000.00: pays INR 180,000.00."
    )


def _without_authority_limits() -> RoutingPolicy:
    """The packaged rules without those whose thresholds are amounts (they name no currency)."""
    policy = load_policy()
    amounts = {"large_loss", "expected_cost_above_authority", "documented_amount_above_authority"}
    return policy.model_copy(update={"rules": [r for r in policy.rules if r.name not in amounts]})


def test_a_band_whose_low_end_is_not_below_its_high_end_is_refused() -> None:
    content = load_policy().model_dump(mode="json")
    content["rules"][0]["when"] = {"documented_amount_far_from_expected": {"low": 3, "high": 0.33}}
    with pytest.raises(ValueError, match="low 3.0 must be below high 0.33"):
        RoutingPolicy.model_validate(content)
