"""The severity model estimates motor claims and says plainly when it covers no other line."""

from __future__ import annotations

from collections.abc import Callable

from claimgen.fnol import generate_claims
from models.severity.model import SeverityModel
from services.core.events import FNOL, ClaimCase, LineOfBusiness, SeverityEstimate


def test_property_claims_get_a_note_and_no_figures(
        small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]) -> None:
    fnol = next(c.fnol for c in generate_claims(40, seed=11) if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    assert small_severity_model.estimate(as_case(fnol)) == SeverityEstimate(
        expected_cost=None, upper_quantile=None, quantile=0.9, model=None, note="no severity model for line property")


def test_motor_claims_get_an_expected_cost_and_an_upper_quantile_in_eur(
        small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]) -> None:
    cases = [as_case(c.fnol) for c in generate_claims(40, seed=11)]
    estimates = small_severity_model.estimate_many(cases)
    assert len(estimates) == len(cases)
    for case, estimate in zip(cases, estimates, strict=True):
        if case.fnol.line_of_business is LineOfBusiness.MOTOR:  # named makes are unseen: they count as missing
            assert estimate.expected_cost > 0 and estimate.upper_quantile > 0
            assert estimate.currency == "EUR" and estimate.quantile == 0.9 and estimate.model.name == "severity"
