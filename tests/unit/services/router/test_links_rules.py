"""The routing policy on the claims graph's signals: strong links go to special investigations, named."""

from __future__ import annotations

from claimgen.fnol import GeneratedClaim
from services.app.stages.router import audit
from services.core.events import ClaimCase, ClaimLinks, LinkedClaim, Route, SharedEntity
from services.router.facts import facts, matches
from services.router.policy import Conditions, load_policy
from tests.unit.services.router.conftest import case_with, route

PHONE = SharedEntity(
    kind="phone",
    value="+44 20 7946 0000",
    roles=["witness"],
    probability=1.0,
    claims=["C-1", "C-2", "C-3"],
    claim_count=3,
)
GARAGE = SharedEntity(
    kind="repair_shop",
    value="Big Auto Body",
    roles=["repair_shop"],
    probability=1.0,
    claims=[],
    claim_count=21,
    common=True,
)


def linked(claim: GeneratedClaim, score: float, fraud: list[str], entities: list[SharedEntity]) -> ClaimCase:
    links = ClaimLinks(
        entities=entities,
        linked_claims=[LinkedClaim(claim_id=c, kinds=["phone"], strength=1.5) for c in ("C-1", "C-2", "C-3")],
        claims_by_kind={"phone": 3},
        component_size=5,
        fraud_claims=fraud,
        ring_score=score,
        hops=2,
        window_days=60,
    )
    return case_with(claim).model_copy(update={"links": links})


def test_a_strong_link_goes_to_investigations_naming_the_shared_entity(motor: GeneratedClaim) -> None:
    decision = route(linked(motor, 0.85, ["C-2"], [PHONE, GARAGE]))
    assert (decision.route, decision.desk, decision.priority) == (Route.ADJUSTER, "special_investigations", 1)
    reason = next(r for r in decision.reasons if "Linked to other claims" in r)
    assert "phone +44 20 7946 0000 with 3 claims in 60 days (C-1, C-2, C-3), one referred or denied for fraud" in reason


def test_a_weak_link_or_none_leaves_the_claim_alone(motor: GeneratedClaim) -> None:
    assert route(linked(motor, 0.2, [], [PHONE])).route is Route.STRAIGHT_THROUGH
    assert route(case_with(motor)).route is Route.STRAIGHT_THROUGH


def test_fraud_hops_and_shared_claims_are_conditions(motor: GeneratedClaim) -> None:
    policy = load_policy()
    near = facts(linked(motor, 0.1, ["C-1"], [PHONE]), policy)
    far = facts(linked(motor, 0.1, ["C-9"], [PHONE]), policy)
    alone = facts(case_with(motor), policy)
    assert matches(Conditions(linked_to_fraud_within_hops=1), near)
    assert not matches(Conditions(linked_to_fraud_within_hops=1), far)
    assert matches(Conditions(linked_to_fraud_within_hops=2), far)
    assert not matches(Conditions(linked_to_fraud_within_hops=2), alone)
    assert matches(Conditions(shared_entity_claims_at_least=3), near)
    assert not matches(Conditions(shared_entity_claims_at_least=4), near)  # the common garage does not count


def test_the_routing_audit_entry_records_the_links_it_used_without_their_values(motor: GeneratedClaim) -> None:
    case = linked(motor, 0.85, ["C-2"], [PHONE])
    decided = case.model_copy(update={"decision": route(case)})
    entry = audit(decided, "digest")
    assert entry is not None
    used = entry.outputs["links"]
    assert used["shared"] == [{"kind": "phone", "roles": ["witness"], "claims": ["C-1", "C-2", "C-3"], "common": False}]
    assert used["fraud_claims"] == ["C-2"] and used["ring_score"] == 0.85
    assert "7946" not in str(entry.outputs)
