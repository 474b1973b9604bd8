"""Severity stage: add the expected cost and its upper quantile to the case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from services.core.events import ClaimCase, SeverityEstimate
from services.core.runner import Delivery


class SeverityEstimator(Protocol):
    def estimate(self, case: ClaimCase) -> SeverityEstimate: ...

    def estimate_many(self, cases: Sequence[ClaimCase]) -> list[SeverityEstimate]: ...


def estimate_severity(case: ClaimCase, delivery: Delivery, *, estimator: SeverityEstimator) -> ClaimCase:
    """The case with its severity section."""
    return case.model_copy(update={"severity": estimator.estimate(case)})


def estimate_severity_batch(
    cases: list[ClaimCase], deliveries: list[Delivery], *, estimator: SeverityEstimator
) -> list[ClaimCase]:
    """Every case of a batch with its severity section, estimated in one model call."""
    estimates = estimator.estimate_many(cases)
    return [case.model_copy(update={"severity": estimate}) for case, estimate in zip(cases, estimates, strict=True)]
