"""Severity: expected cost and an upper quantile, audited with the model that gave them."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from services.app.stages.declaration import Handlers, StageDeclaration
from services.core import topics
from services.core.events import ClaimCase
from services.core.settings import SeveritySettings

if TYPE_CHECKING:
    from services.app.dependencies import Dependencies
    from services.core.audit import AuditEntry


def build(deps: Dependencies, settings: SeveritySettings) -> Handlers:
    from services.app.model_clients import model_client
    from services.severity.handler import estimate_severity, estimate_severity_batch

    estimator = model_client(deps.settings, "severity", settings.model_alias)
    return Handlers(
        ClaimCase,
        partial(estimate_severity, estimator=estimator),
        handle_batch=partial(estimate_severity_batch, estimator=estimator),
    )


def audit(case: ClaimCase, inputs: str) -> AuditEntry | None:
    from services.core.audit import model_entry, shadow_outputs

    s = case.severity
    if s is None:
        return None
    outputs: dict[str, Any] = {
        "expected_cost": s.expected_cost,
        "upper_quantile": s.upper_quantile,
        "quantile": s.quantile,
        "currency": s.currency,
    }
    if s.shadow is not None and s.shadow.model is not None:
        outputs["shadow"] = shadow_outputs(s.shadow.model, {"expected_cost": s.shadow.expected_cost})
    return model_entry(case, "severity", "severity_estimate", s.model, outputs, [s.note] if s.note else [], inputs)


STAGE = StageDeclaration("severity", SeveritySettings, topics.LINKED, topics.ESTIMATED, "estimated", build, audit)
