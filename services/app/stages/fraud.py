"""Fraud: a calibrated score with the reasons that raised it, audited with the model that gave it."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from services.app.stages.declaration import Handlers, StageDeclaration
from services.core import topics
from services.core.events import ClaimCase
from services.core.settings import FraudSettings

if TYPE_CHECKING:
    from services.app.dependencies import Dependencies
    from services.core.audit import AuditEntry


def build(deps: Dependencies, settings: FraudSettings) -> Handlers:
    from services.app.model_clients import model_client
    from services.fraud.handler import score_fraud, score_fraud_batch

    scorer = model_client(deps.settings, "fraud", settings.model_alias)
    return Handlers(
        ClaimCase, partial(score_fraud, scorer=scorer), handle_batch=partial(score_fraud_batch, scorer=scorer)
    )


def audit(case: ClaimCase, inputs: str) -> AuditEntry | None:
    from services.core.audit import model_entry, shadow_outputs

    if case.fraud is None:
        return None
    outputs: dict[str, Any] = {"probability": case.fraud.probability}
    if case.fraud.shadow is not None:
        outputs["shadow"] = shadow_outputs(case.fraud.shadow.model, {"probability": case.fraud.shadow.probability})
    reasons = [r.message for r in case.fraud.reasons]
    return model_entry(case, "fraud", "fraud_score", case.fraud.model, outputs, reasons, inputs)


STAGE = StageDeclaration("fraud", FraudSettings, topics.EXTRACTED, topics.SCORED, "scored", build, audit)
