"""The routing policy: referral rules, straight-through, reasons, SLA due times and the policy version."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from claimgen.fnol import GeneratedClaim
from services.core.events import FraudScore, Injury, Route, SeverityEstimate
from services.router.facts import CHECKS
from services.router.policy import DEFAULT_POLICY, Conditions, RoutingPolicy, load_policy
from tests.unit.services.router.conftest import ACCEPTED, MODEL, case_with, route


def policy_file() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_POLICY.read_text())


def test_clean_cheap_claim_goes_straight_through(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, fraud=0.03, cost=900, upper=2500))
    assert decision.route is Route.STRAIGHT_THROUGH
    assert decision.policy_version == load_policy().version == "2026.12.4"
    assert "3%" in decision.reasons[0] and "USD 900" in decision.reasons[0]
    assert decision.sla_due_at is None and decision.payable_amount is not None


def test_high_fraud_goes_to_investigations_with_every_reason(motor: GeneratedClaim) -> None:
    decision = route(case_with(motor, fraud=0.72, cost=900, upper=20000, findings=["loss_date_mismatch"]))
    assert (decision.route, decision.desk, decision.priority) == (Route.ADJUSTER, "special_investigations", 1)
    assert any("72%" in r for r in decision.reasons)
    assert any("loss date mismatch" in r for r in decision.reasons)
    assert any("15,000" in r for r in decision.reasons)


def test_injury_and_missing_documents_refer_the_claim(motor: GeneratedClaim) -> None:
    injured = route(case_with(motor, fnol={"injuries": [Injury(person="A", severity="minor")]}))
    assert injured.desk == "injury"
    missing = route(case_with(motor, missing=["repair_estimate"]))
    assert (missing.route, missing.desk) == (Route.ADJUSTER, "general")
    assert "repair_estimate" in missing.reasons[0]


def test_the_sla_runs_from_acceptance_by_desk_and_priority(motor: GeneratedClaim) -> None:
    investigated = route(case_with(motor, fraud=0.72))  # special_investigations, priority 1: its own 24 h
    assert investigated.sla_due_at == ACCEPTED + timedelta(hours=24)
    injured = route(case_with(motor, fnol={"injuries": [Injury(person="A", severity="minor")]}))
    assert (injured.priority, injured.sla_due_at) == (2, ACCEPTED + timedelta(hours=8))
    missing = route(case_with(motor, missing=["repair_estimate"]))  # general, priority 4: the default 72 h
    assert (missing.priority, missing.sla_due_at) == (4, ACCEPTED + timedelta(hours=72))


def test_the_router_never_reads_shadow_scores(motor: GeneratedClaim) -> None:
    case = case_with(motor, fraud=0.03, cost=900, upper=2500)
    shadowed = case.model_copy(
        update={
            "fraud": case.fraud.model_copy(update={"shadow": FraudScore(probability=0.99, model=MODEL, reasons=[])}),  # type: ignore[union-attr]
            "severity": case.severity.model_copy(
                update={
                    "shadow": SeverityEstimate(  # type: ignore[union-attr]
                        expected_cost=90_000, upper_quantile=200_000, quantile=0.9, model=MODEL
                    )
                }
            ),
        }
    )
    assert route(shadowed) == route(case)


def test_every_condition_has_a_check() -> None:
    assert set(CHECKS) == set(Conditions.model_fields)


def test_a_policy_with_an_unknown_condition_is_refused() -> None:
    with pytest.raises(ValidationError):
        RoutingPolicy.model_validate(
            {
                **policy_file(),
                "rules": [
                    {"name": "r", "desk": "d", "priority": 1, "reason": "r", "when": {"fraud_probabilty_at_least": 0.5}}
                ],
            }
        )


@pytest.mark.parametrize(
    ("sla_hours", "error"),
    [
        ({"default": {1: 4, 2: 24, 3: 48, 4: 72}}, r"missing \[5\]"),
        ({"default": {1: 4, 2: 24, 3: 48, 4: 72, 5: 0}}, "positive"),
        ({"default": {1: 4, 2: 24, 3: 48, 4: 72, 5: 120}, "desks": {"genral": {3: 8}}}, "genral"),
    ],
)
def test_sla_hours_must_cover_every_priority_and_name_real_desks(sla_hours: dict, error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        RoutingPolicy.model_validate({**policy_file(), "sla_hours": sla_hours})


def test_a_cover_table_with_an_unknown_cause_is_refused() -> None:
    with pytest.raises(ValidationError, match="cover"):
        RoutingPolicy.model_validate({**policy_file(), "cover": {"motor": {"collision": ["colision"]}}})


def test_the_policy_file_is_read_from_where_it_is_given(tmp_path: Path, motor: GeneratedClaim) -> None:
    changed = {**policy_file(), "version": "test.1", "sla_hours": {"default": {p: 2 for p in range(1, 6)}}}
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(changed))
    decision = route(case_with(motor, missing=["repair_estimate"]), policy=load_policy(path))
    assert (decision.policy_version, decision.sla_due_at) == ("test.1", ACCEPTED + timedelta(hours=2))
