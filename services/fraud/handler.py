"""Fraud stage: add the fraud model's calibrated probability and reason codes to the case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from services.core.events import ClaimCase, FraudScore
from services.core.runner import Delivery


class FraudScorer(Protocol):
    def score(self, case: ClaimCase) -> FraudScore: ...

    def score_many(self, cases: Sequence[ClaimCase]) -> list[FraudScore]: ...


def score_fraud(case: ClaimCase, delivery: Delivery, *, scorer: FraudScorer) -> ClaimCase:
    """The case with its fraud section."""
    return case.model_copy(update={"fraud": scorer.score(case)})


def score_fraud_batch(cases: list[ClaimCase], deliveries: list[Delivery], *, scorer: FraudScorer) -> list[ClaimCase]:
    """Every case of a batch with its fraud section, scored in one model call."""
    return [
        case.model_copy(update={"fraud": score}) for case, score in zip(cases, scorer.score_many(cases), strict=True)
    ]
