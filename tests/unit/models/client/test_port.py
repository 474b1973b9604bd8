"""The port holds every severity estimate an adapter gives to the claim's market, whatever the adapter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from claimgen.fnol import generate_claims
from models.client.port import ModelClient
from models.features import FeatureRow
from services.core.events import FNOL, ClaimCase, FraudScore, LineOfBusiness, Market, ModelRef, SeverityEstimate
from tests.unit.models.conftest import in_france

MODEL = ModelRef(name="severity", version="4", alias="champion")


class Answers(ModelClient):
    """An adapter (a gateway, say) that answers every row with the same estimate."""

    def __init__(self, estimate: SeverityEstimate) -> None:
        self.estimate, self.rows = estimate, 0

    def score_fraud_rows(
        self, claim_ids: Sequence[str], rows: Sequence[FeatureRow], *, reasons: bool = True
    ) -> list[FraudScore]:
        raise AssertionError("not asked here")

    def estimate_severity_rows(self, claim_ids: Sequence[str], rows: Sequence[FeatureRow]) -> list[SeverityEstimate]:
        self.rows += len(rows)
        return [self.estimate] * len(rows)

    def loaded(self) -> dict[str, Any]:
        return {}


def _estimate(market: Market | None, currency: str = "EUR") -> SeverityEstimate:
    return SeverityEstimate(
        expected_cost=1200.0, upper_quantile=3000.0, quantile=0.9, currency=currency, model=MODEL, market=market
    )


def _motor(as_case: Callable[[FNOL], ClaimCase], **policy: Any) -> ClaimCase:
    fnol = next(c.fnol for c in generate_claims(20, seed=4) if c.fnol.line_of_business is LineOfBusiness.MOTOR)
    return as_case(fnol.model_copy(update={"policy": fnol.policy.model_copy(update=policy)}))


def test_an_estimate_that_names_no_market_is_fremtpl2s(as_case: Callable[[FNOL], ClaimCase]) -> None:
    client = Answers(_estimate(market=None))  # a gateway from before models named their market
    french, american = as_case(in_france(_motor(as_case).fnol)), _motor(as_case)
    kept, refused = client.estimate_many([french, american])
    assert kept == client.estimate
    assert (refused.expected_cost, refused.upper_quantile, refused.model, refused.currency) == (None, None, None, "USD")
    assert refused.note == (
        "severity model severity@champion (version 4) is trained on motor claims in FR, in EUR; "
        "this claim is from US in USD"
    )


def test_a_claim_in_another_currency_gets_no_figures_and_the_reason(as_case: Callable[[FNOL], ClaimCase]) -> None:
    us = Market(line_of_business=LineOfBusiness.MOTOR, country="US", currency="USD")
    client = Answers(_estimate(market=us, currency="USD"))
    dollars, rupees = _motor(as_case), _motor(as_case, currency="INR")
    kept, refused = client.estimate_many([dollars, rupees])
    assert kept.expected_cost == 1200.0 and kept.currency == "USD"
    assert refused.expected_cost is None and refused.market == us and refused.currency == "INR"
    assert refused.note is not None and refused.note.endswith(
        "is trained on motor claims in US, in USD; this claim is in INR"
    )


def test_a_property_claim_is_never_sent_to_the_severity_model(as_case: Callable[[FNOL], ClaimCase]) -> None:
    fnol = next(c.fnol for c in generate_claims(40, seed=11) if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    client = Answers(_estimate(market=None))
    [estimate] = client.estimate_many([as_case(fnol)])
    assert client.rows == 0 and estimate.note == "no severity model for line property" and estimate.currency == "USD"
