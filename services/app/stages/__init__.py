"""The pipeline: every stage, in order. Adding a stage is one module beside these and one line here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from services.app.stages import docextract, fraud, intake, links, router, severity
from services.app.stages.declaration import Handlers, StageDeclaration
from services.core.events import ClaimCase

if TYPE_CHECKING:
    from services.core.audit import AuditEntry
    from services.core.store import StageOrder

STAGES: tuple[StageDeclaration, ...] = (
    intake.STAGE,
    docextract.STAGE,
    fraud.STAGE,
    links.STAGE,
    severity.STAGE,
    router.STAGE,
)

__all__ = ["STAGES", "Handlers", "StageDeclaration", "audit_entries", "declared", "names", "order"]


def names(stages: Sequence[StageDeclaration] = STAGES) -> list[str]:
    return [s.name for s in stages]


def declared(name: str, stages: Sequence[StageDeclaration] = STAGES) -> StageDeclaration:
    """The declaration of stage `name`; an unknown name is refused with the choices."""
    for stage in stages:
        if stage.name == name:
            return stage
    raise ValueError(f"unknown stage {name!r}; choose one of {', '.join(names(stages))}")


def order(stages: Sequence[StageDeclaration] = STAGES) -> StageOrder:
    """The claim store's ranking of stage rows: each stage with the status it gives a claim."""
    return [(s.name, s.status) for s in stages]


def audit_entries(name: str, cases: Sequence[ClaimCase], consumed: Sequence[bytes] | None = None) -> list[AuditEntry]:
    """The audit entries stage `name` writes for `cases` (tools and tests that fill a log without the runner)."""
    from services.core.audit import entries_for

    made = declared(name).audit
    return entries_for(made, cases, consumed) if made is not None else []
