"""Coverage checks and the cause of loss: each condition refers the claim it should, with a plain reason."""

from __future__ import annotations

from datetime import timedelta

from claimgen.fnol import GeneratedClaim
from services.core.events import Route
from tests.unit.services.router.conftest import FakePerils, case_with, document, route


def test_a_loss_outside_the_policy_period_goes_to_the_coverage_desk(motor: GeneratedClaim) -> None:
    loss_day = motor.fnol.loss.occurred_at.date()
    lapsed = route(case_with(motor, policy={"expiry_date": loss_day - timedelta(days=1)}))
    assert (lapsed.desk, lapsed.priority) == ("coverage", 2)
    assert lapsed.reasons[0] == "The policy was not in force on the date of loss."
    not_yet = route(case_with(motor, policy={"inception_date": loss_day + timedelta(days=1)}))
    assert not_yet.desk == "coverage"


def test_a_cause_the_cover_does_not_pay_for_goes_to_the_coverage_desk(motor: GeneratedClaim) -> None:
    theft = route(case_with(motor, policy={"coverage": "collision"}, loss={"cause": "theft"}))
    assert (theft.route, theft.desk) == (Route.ADJUSTER, "coverage")
    assert "The collision cover of this motor policy does not pay for a theft loss." in theft.reasons
    covered = route(case_with(motor, policy={"coverage": "all_perils"}, loss={"cause": "theft"}))
    assert covered.route is Route.STRAIGHT_THROUGH


def test_a_property_claim_on_motor_style_cover_is_not_covered(property_claim: GeneratedClaim) -> None:
    decision = route(case_with(property_claim, cost=None, upper=None, policy={"coverage": "liability"}))
    assert decision.desk == "coverage"
    assert "The liability cover of this property policy does not pay for a fire loss." in decision.reasons


def test_an_estimate_above_the_sum_insured_goes_to_large_loss(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, cost=12_000, upper=14_000, policy={"sum_insured": 10_000}))
    assert (decision.desk, decision.priority) == ("large_loss", 2)
    assert any("above the sum insured USD 10,000" in r for r in decision.reasons)


def test_an_amount_claimed_above_the_limit_is_referred(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, policy={"sum_insured": 800}, loss={"claimed_amount": 900}, cost=700, upper=900))
    assert decision.desk == "general"
    assert "The amount claimed is above the sum insured USD 800." in decision.reasons


def test_a_deductible_that_swallows_the_estimate_is_not_settled_straight_through(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, cost=350, upper=900, policy={"deductible": 500}))
    assert (decision.route, decision.desk, decision.priority) == (Route.ADJUSTER, "general", 4)
    assert decision.payable_amount is None
    assert decision.reasons == [
        "The deductible USD 500 is at or above the cost to settle on (expected cost USD 350): "
        "nothing would be paid. A handler confirms it with the claimant."
    ]
    on_a_document = route(
        case_with(
            motor,
            cost=900,
            policy={"deductible": 500},
            documents=[document("estimate.pdf", "repair_estimate", "480.00")],
        )
    )
    assert on_a_document.reasons == [
        "The deductible USD 500 is at or above the cost to settle on (Repair estimate estimate.pdf USD 480.00): "
        "nothing would be paid. A handler confirms it with the claimant."
    ]


def test_fire_and_water_go_to_the_property_desk(property_claim: GeneratedClaim) -> None:
    fire = route(case_with(property_claim, cost=None, upper=None), perils=FakePerils("fire", 0.93))
    assert (fire.desk, fire.priority) == ("property", 3)
    assert fire.reasons[0].startswith("The description reads as fire damage (93%)")
    water = route(
        case_with(property_claim, cost=None, upper=None, loss={"cause": "water"}),
        perils=FakePerils("water_non_weather", 0.7),
    )
    assert water.desk == "property" and "escape of water" in water.reasons[0]


def test_a_description_that_contradicts_the_stated_cause_is_referred(property_claim: GeneratedClaim) -> None:
    decision = route(
        case_with(property_claim, cost=None, upper=None, loss={"cause": "fire"}), perils=FakePerils("hail", 0.91)
    )
    assert decision.desk == "general"
    assert (
        "The description reads as hail (91%), not the fire reported: a handler must establish the cause of "
        "loss." in decision.reasons
    )
    unsure = route(
        case_with(property_claim, cost=None, upper=None, loss={"cause": "fire"}), perils=FakePerils("hail", 0.6)
    )  # not sure enough to contradict the reporter
    assert not any("not the fire reported" in r for r in unsure.reasons)


def test_an_unreadable_cause_of_loss_is_referred(property_claim: GeneratedClaim) -> None:
    decision = route(
        case_with(property_claim, cost=None, upper=None, loss={"cause": "other"}), perils=FakePerils("other", 0.31)
    )
    assert any(
        r.startswith("The cause of loss cannot be read with confidence") and "another cause, 31%" in r
        for r in decision.reasons
    )


def test_motor_claims_are_not_read_by_the_peril_model(motor: GeneratedClaim) -> None:
    perils = FakePerils("hail", 0.1)  # would refer a property claim twice over
    assert route(case_with(motor), perils=perils).route is Route.STRAIGHT_THROUGH
    assert perils.calls == [1]
