"""Severity features a live FNOL carries: the policy's age at the loss."""

from __future__ import annotations

from datetime import timedelta

import pytest

from claimgen.fnol import GeneratedClaim
from models.severity.features import severity_features


@pytest.mark.parametrize(("days", "years"), [(730, 730 / 365.25), (0, 0.0), (-10, 0.0)])
def test_policy_years_at_loss_come_from_the_inception_date(
    sample_claims: list[GeneratedClaim], days: int, years: float
) -> None:
    fnol = next(c.fnol for c in sample_claims if c.fnol.vehicle is not None)
    incepted = fnol.loss.occurred_at.date() - timedelta(days=days)  # -10: incepted after the loss
    fnol = fnol.model_copy(update={"policy": fnol.policy.model_copy(update={"inception_date": incepted})})
    assert severity_features(fnol)["policy_years_at_loss"] == pytest.approx(years)
