"""The in-process adapter: the same scores as the model, split by arm, severity only for its market's claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from claimgen.fnol import generate_claims
from models.arms import SplitPolicy, arm_for
from models.client.inprocess import InProcessModels
from models.fraud.features import fraud_features
from models.fraud.model import FraudModel
from models.live import LiveModels
from models.severity.model import SeverityModel
from services.core.events import FNOL, ClaimCase, LineOfBusiness, Market, ModelRef
from tests.unit.models.conftest import in_france

US = Market(line_of_business=LineOfBusiness.MOTOR, country="US", currency="USD")


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
    bare = client.score_fraud_rows([c.claim_id for c in cases], [fraud_features(c.fnol) for c in cases], reasons=False)
    assert [s.probability for s in bare] == [s.probability for s in scores] and all(not s.reasons for s in bare)
    assert client.loaded()["models"]["fraud"] == {"champion": {"alias": "champion", "version": "1"}, "challenger": None}


def test_ab_split_and_shadow(small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase]) -> None:
    cases = [as_case(c.fnol) for c in generate_claims(60, seed=4)]
    registry = FakeRegistry(small_fraud_model, {"champion": "1", "challenger": "2"})
    client = InProcessModels(fraud=LiveModels(registry, "fraud"), policy=SplitPolicy(challenger_share=0.5))
    for case, score in zip(cases, client.score_many(cases), strict=True):
        arm = arm_for(case.claim_id, 0.5)
        assert score.model.arm == arm and score.model.version == ("2" if arm == "challenger" else "1")
        assert score.shadow is not None and score.shadow.model.arm != arm


def test_severity_for_motor_claims_only(
    small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    cases = [as_case(in_france(c.fnol)) for c in generate_claims(40, seed=4)]
    client = InProcessModels(severity=LiveModels(FakeRegistry(small_severity_model, {"champion": "1"}), "severity"))
    estimates = client.estimate_many(cases)
    expected = small_severity_model.estimate_many(cases)
    for case, got, want in zip(cases, estimates, expected, strict=True):
        assert got.expected_cost == want.expected_cost
        assert (got.model is None) == (case.fnol.line_of_business is not LineOfBusiness.MOTOR)


@dataclass
class TwoMarkets:
    """Version 1 is the model of freMTPL2's market (France, EUR), version 2 the same trees as a US model in USD."""

    model: SeverityModel
    aliases: dict[str, str]

    def version_of(self, name: str, alias: str) -> str | None:
        return self.aliases.get(alias)

    def load_version(self, name: str, version: str, alias: str) -> SeverityModel:
        model = self.model if version == "1" else self.model.with_market(US)
        return model.with_ref(ModelRef(name=name, version=version, alias=alias))


def test_each_arm_estimates_only_claims_of_its_market(
    small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    french = [
        as_case(in_france(c.fnol))
        for c in generate_claims(60, seed=4)
        if c.fnol.line_of_business is LineOfBusiness.MOTOR
    ]
    registry = TwoMarkets(small_severity_model, {"champion": "1", "challenger": "2"})
    client = InProcessModels(severity=LiveModels(registry, "severity"), policy=SplitPolicy(challenger_share=0.5))
    for case, estimate in zip(french, client.estimate_many(french), strict=True):
        ours, theirs = (
            (estimate, estimate.shadow) if arm_for(case.claim_id, 0.5) == "champion" else (estimate.shadow, estimate)
        )
        assert ours is not None and ours.expected_cost is not None and ours.currency == "EUR"
        assert theirs is not None and theirs.expected_cost is None and theirs.model is None
        assert theirs.note == (
            "severity model severity@challenger (version 2) is trained on motor claims in US, "
            "in USD; this claim is from FR in EUR"
        )
