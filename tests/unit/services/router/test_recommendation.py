"""What the router advises an adjuster to decide follows from the rules that referred the claim."""

from __future__ import annotations

from datetime import date

from claimgen.fnol import GeneratedClaim
from services.core.events import Route
from services.router.policy import Conditions, Rule, recommendation
from tests.unit.services.router.conftest import case_with, route


def test_a_claim_referred_for_fraud_is_never_recommended_for_approval(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, fraud=0.45, cost=900, upper=2500))
    assert (decision.route, decision.desk) == (Route.ADJUSTER, "general")
    assert decision.recommendation == "refer"
    investigated = route(case_with(motor, fraud=0.72, cost=900, upper=2500, missing=["repair_estimate"]))
    assert investigated.recommendation == "refer"  # fraud outranks the missing estimate


def test_missing_documents_ask_for_them_and_a_lapsed_policy_is_denied(motor: GeneratedClaim) -> None:
    assert route(case_with(motor, missing=["repair_estimate"])).recommendation == "request_documents"
    contradicted = route(case_with(motor, findings=["loss_date_mismatch"]))
    assert contradicted.desk == "general" and contradicted.recommendation == "request_documents"
    decision = route(case_with(motor, fraud=0.72, policy={"inception_date": date(2030, 1, 1), "expiry_date": None}))
    assert decision.desk == "coverage" and decision.recommendation == "deny"  # denial outranks the fraud referral


def test_a_referred_claim_carries_the_amount_the_policy_would_pay_and_how(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, fraud=0.45, cost=900, upper=2500))
    assert decision.proposed_amount is not None and decision.payable_amount is None
    assert decision.amount_basis is not None and "less the deductible" in decision.amount_basis
    assert decision.amount_basis.endswith(f"pays {motor.fnol.policy.currency} {decision.proposed_amount:,.2f}.")


def test_the_most_cautious_recommendation_wins() -> None:
    def rule(recommends: str) -> Rule:
        return Rule.model_validate(
            {
                "name": recommends,
                "desk": "general",
                "priority": 3,
                "reason": "r",
                "when": Conditions(has_injuries=True),
                "recommends": recommends,
            }
        )

    assert recommendation([rule("approve"), rule("request_documents")]) == "request_documents"
    assert recommendation([rule("request_documents"), rule("refer"), rule("approve")]) == "refer"
    assert recommendation([rule("refer"), rule("deny")]) == "deny"
    assert recommendation([rule("approve")]) == "approve"
