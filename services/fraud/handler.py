"""Fraud stage: add the fraud model's calibrated probability and reason codes to the case."""

from __future__ import annotations

from typing import Protocol

from services.core.events import ClaimCase, FraudScore
from services.core.runner import Delivery


class FraudScorer(Protocol):
    def score(self, case: ClaimCase) -> FraudScore: ...


def score_fraud(case: ClaimCase, delivery: Delivery, *, scorer: FraudScorer) -> ClaimCase:
    """The case with its fraud section."""
    return case.model_copy(update={"fraud": scorer.score(case)})
