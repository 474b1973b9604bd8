"""The model-client port: how a stage gets fraud scores and severity estimates for claim cases.

Stages call `score`/`score_many` and `estimate`/`estimate_many` (the handlers' scorer and estimator).
The port turns cases into feature rows here, once, the same code for every adapter; an adapter
only says how rows are scored (in process, or by the gateway), A/B split and shadow included.
Every severity estimate an adapter gives is checked here against the claim's market
(models.severity.estimates): figures from a model of another country or currency are never used.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from models.features import FeatureRow
from models.fraud.features import fraud_features
from models.severity.estimates import no_model_for_line, within_market
from models.severity.features import severity_features
from services.core.events import ClaimCase, FraudScore, LineOfBusiness, SeverityEstimate


class ModelClient(ABC):
    """Scores claim cases with the fraud and severity models, wherever they run."""

    @abstractmethod
    def score_fraud_rows(
        self, claim_ids: Sequence[str], rows: Sequence[FeatureRow], *, reasons: bool = True
    ) -> list[FraudScore]:
        """Fraud scores for feature rows, each decided by its claim's arm (the other arm's as shadow).

        `reasons=False`: probabilities only (no reason codes), for bulk scoring that does not need them.
        """

    @abstractmethod
    def estimate_severity_rows(self, claim_ids: Sequence[str], rows: Sequence[FeatureRow]) -> list[SeverityEstimate]:
        """Severity estimates for motor claims' feature rows, each decided by its claim's arm."""

    @abstractmethod
    def loaded(self) -> dict[str, Any]:
        """What serves each model now: versions of champion and challenger, the split."""

    def score(self, case: ClaimCase) -> FraudScore:
        """The fraud section of one case."""
        return self.score_many([case])[0]

    def score_many(self, cases: Sequence[ClaimCase]) -> list[FraudScore]:
        """The fraud sections of many cases, in one call."""
        if not cases:
            return []
        return self.score_fraud_rows([c.claim_id for c in cases], [fraud_features(c.fnol) for c in cases])

    def estimate(self, case: ClaimCase) -> SeverityEstimate:
        """The severity section of one case."""
        return self.estimate_many([case])[0]

    def estimate_many(self, cases: Sequence[ClaimCase]) -> list[SeverityEstimate]:
        """The severity sections of many cases in one call; lines and markets no model covers get a note, no figures."""
        estimates = [no_model_for_line(case.fnol) for case in cases]
        motor = [i for i, case in enumerate(cases) if case.fnol.line_of_business is LineOfBusiness.MOTOR]
        if motor:
            scored = self.estimate_severity_rows(
                [cases[i].claim_id for i in motor], [severity_features(cases[i].fnol) for i in motor]
            )
            for i, estimate in zip(motor, scored, strict=True):
                estimates[i] = within_market(estimate, cases[i].fnol)
        return estimates
