"""The in-process adapter: the same scores as the model, split by arm, severity only for motor claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from claimgen.fnol import generate_claims
from models.arms import SplitPolicy, arm_for
from models.client.inprocess import InProcessModels
from models.fraud.model import FraudModel
from models.live import LiveModels
from models.severity.model import SeverityModel
from services.core.events import FNOL, ClaimCase, LineOfBusiness, ModelRef


@dataclass
class FakeRegistry:
    """Every version is the same trained model, named as asked."""

    model: Any
    aliases: dict[str, str] = field(default_factory=dict)

    def version_of(self, name: str, alias: str) -> str | None:
        return self.aliases.get(alias)

    def load_version(self, name: str, version: str, alias: str) -> Any:
        return self.model.with_ref(ModelRef(name=name, version=version, alias=alias))


def test_scores_like_the_model_itself(small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase]) -> None:
    cases = [as_case(c.fnol) for c in generate_claims(20, seed=4)]
    client = InProcessModels(fraud=LiveModels(FakeRegistry(small_fraud_model, {"champion": "1"}), "fraud"))
    scores = client.score_many(cases)
    assert [s.probability for s in scores] == [s.probability for s in small_fraud_model.score_many(cases)]
    assert client.score(cases[0]).model == ModelRef(name="fraud", version="1", alias="champion", arm="champion")
    assert client.loaded()["models"]["fraud"] == {"champion": {"alias": "champion", "version": "1"},
                                                  "challenger": None}


def test_ab_split_and_shadow(small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase]) -> None:
    cases = [as_case(c.fnol) for c in generate_claims(60, seed=4)]
    registry = FakeRegistry(small_fraud_model, {"champion": "1", "challenger": "2"})
    client = InProcessModels(fraud=LiveModels(registry, "fraud"), policy=SplitPolicy(challenger_share=0.5))
    for case, score in zip(cases, client.score_many(cases), strict=True):
        arm = arm_for(case.claim_id, 0.5)
        assert score.model.arm == arm and score.model.version == ("2" if arm == "challenger" else "1")
        assert score.shadow is not None and score.shadow.model.arm != arm


def test_severity_for_motor_claims_only(small_severity_model: SeverityModel,
                                       as_case: Callable[[FNOL], ClaimCase]) -> None:
    cases = [as_case(c.fnol) for c in generate_claims(40, seed=4)]
    client = InProcessModels(severity=LiveModels(FakeRegistry(small_severity_model, {"champion": "1"}), "severity"))
    estimates = client.estimate_many(cases)
    expected = small_severity_model.estimate_many(cases)
    for case, got, want in zip(cases, estimates, expected, strict=True):
        assert got.expected_cost == want.expected_cost
        assert (got.model is None) == (case.fnol.line_of_business is not LineOfBusiness.MOTOR)
