"""What a process builds once: its dependencies, and a runner for each stage it runs."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from services.app.dependencies import Dependencies
from services.app.stages import STAGES, StageDeclaration, order
from services.core.bus.port import StageLink
from services.core.metrics import StageMetrics
from services.core.runner import Runner, Stage
from services.core.settings import StageSettings, TriageSettings


def open_dependencies(settings: TriageSettings, stages: Sequence[StageDeclaration] = STAGES) -> Dependencies:
    """The stores of this deployment, the claim store ranking stage rows in `stages`' order."""
    return Dependencies.from_settings(settings, order(stages))


def build_runner(
    stage: Stage[BaseModel],
    link: StageLink,
    settings: StageSettings,
    *,
    in_process: bool,
    metrics: StageMetrics | None = None,
    poll_timeout_s: float | None = None,
) -> Runner[BaseModel]:
    """The one way a stage gets its runner: its batch limit on this bus and its poll timeout, from its settings."""
    return Runner(
        stage,
        link,
        batch_size=settings.batch_limit(in_process=in_process),
        poll_timeout_s=poll_timeout_s if poll_timeout_s is not None else settings.poll_timeout_s,
        metrics=metrics,
    )
