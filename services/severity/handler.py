"""Severity stage: add the expected cost and its upper quantile to the case."""

from __future__ import annotations

from typing import Protocol

from services.core.events import ClaimCase, SeverityEstimate
from services.core.runner import Delivery


class SeverityEstimator(Protocol):
    def estimate(self, case: ClaimCase) -> SeverityEstimate: ...


def estimate_severity(case: ClaimCase, delivery: Delivery, *, estimator: SeverityEstimator) -> ClaimCase:
    """The case with its severity section."""
    return case.model_copy(update={"severity": estimator.estimate(case)})
