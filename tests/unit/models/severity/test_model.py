"""The severity model estimates motor claims of its market and says plainly when it covers a claim not."""

from __future__ import annotations

from collections.abc import Callable

from claimgen.fnol import generate_claims
from models.markets import FREMTPL2
from models.severity.model import SeverityModel
from services.core.events import FNOL, ClaimCase, LineOfBusiness, Market, SeverityEstimate
from tests.unit.models.conftest import in_france


def test_property_claims_get_a_note_and_no_figures(
    small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    fnol = next(c.fnol for c in generate_claims(40, seed=11) if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    assert small_severity_model.estimate(as_case(fnol)) == SeverityEstimate(
        expected_cost=None,
        upper_quantile=None,
        quantile=0.9,
        currency="USD",
        model=None,
        note="no severity model for line property",
    )


def test_motor_claims_of_its_market_get_an_expected_cost_and_an_upper_quantile_in_eur(
    small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    cases = [as_case(in_france(c.fnol)) for c in generate_claims(40, seed=11)]
    estimates = small_severity_model.estimate_many(cases)
    assert len(estimates) == len(cases) and small_severity_model.market == FREMTPL2
    for case, estimate in zip(cases, estimates, strict=True):
        if case.fnol.line_of_business is LineOfBusiness.MOTOR:  # named makes are unseen: they count as missing
            assert estimate.expected_cost > 0 and estimate.upper_quantile > 0
            assert estimate.currency == "EUR" and estimate.quantile == 0.9 and estimate.model.name == "severity"
            assert estimate.market == FREMTPL2


def test_claims_of_another_country_or_currency_get_no_figures_and_why(
    small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    motor = next(c.fnol for c in generate_claims(40, seed=11) if c.fnol.line_of_business is LineOfBusiness.MOTOR)
    french = in_france(motor)
    rupees = french.model_copy(update={"policy": french.policy.model_copy(update={"currency": "INR"})})
    american, indian, ours = small_severity_model.estimate_many([as_case(motor), as_case(rupees), as_case(french)])
    assert (american.expected_cost, american.upper_quantile, american.model, american.currency) == (
        None,
        None,
        None,
        "USD",
    )
    assert american.note == (
        "severity model severity@none (version unregistered) is trained on motor claims in FR, "
        "in EUR; this claim is from US in USD"
    )
    assert indian.note is not None and indian.note.endswith("this claim is in INR") and indian.market == FREMTPL2
    assert ours.expected_cost is not None


def test_a_model_of_another_market_estimates_that_markets_claims_in_its_currency(
    small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    us = Market(line_of_business=LineOfBusiness.MOTOR, country="US", currency="USD")
    motor = next(c.fnol for c in generate_claims(40, seed=11) if c.fnol.line_of_business is LineOfBusiness.MOTOR)
    american, french = small_severity_model.with_market(us).estimate_many([as_case(motor), as_case(in_france(motor))])
    assert american.expected_cost is not None and (american.currency, american.market) == ("USD", us)
    assert french.expected_cost is None and french.note is not None and french.note.endswith("from FR in EUR")
