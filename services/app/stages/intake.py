"""Intake: an FNOL from the intake systems becomes a claim case, once per claim id."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from services.app.stages.declaration import Handlers, StageDeclaration
from services.core import topics
from services.core.events import FNOL
from services.core.settings import IntakeSettings

if TYPE_CHECKING:
    from services.app.dependencies import Dependencies


def build(deps: Dependencies, settings: IntakeSettings) -> Handlers:
    from services.core.runner import utcnow
    from services.intake.handler import accept_fnol, accept_fnols

    return Handlers(
        FNOL,
        partial(accept_fnol, ledger=deps.store, clock=utcnow),
        handle_batch=partial(accept_fnols, ledger=deps.store, clock=utcnow),
    )


STAGE = StageDeclaration("intake", IntakeSettings, topics.FNOL_INBOUND, topics.FNOL, "accepted", build)
