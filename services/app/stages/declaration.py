"""What a stage is, said once: its name, settings, topics, handler and record hooks.

The pipeline, the `triage run` choices, the embedded pipeline, the audit and the claim store's
order all read the declarations in `services.app.stages.STAGES`; the core knows no stage by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from services.core.events import ClaimCase
from services.core.settings import StageSettings

if TYPE_CHECKING:  # the store, audit and runner load in the process that runs a stage, not for `triage --help`
    from sqlalchemy import Connection

    from services.app.dependencies import Dependencies
    from services.core.audit import EntryFor
    from services.core.runner import Stage

# After a batch's stage rows and audit entries, in the same transaction: what else the stage's cases call for.
AfterRecord = Callable[["Dependencies", Sequence[ClaimCase], "Connection"], None]


@dataclass(frozen=True)
class Handlers:
    """A stage's handler bound to its dependencies, and its optional batch, cost and side-event hooks."""

    input_model: type[BaseModel]
    handle: Callable[..., ClaimCase | None]
    handle_batch: Callable[..., Any] | None = None
    side_events: Callable[[ClaimCase], Sequence[tuple[str, BaseModel]]] | None = None
    cost: Callable[..., int] | None = None
    max_cost: int = 0


@dataclass(frozen=True)
class StageDeclaration:
    """One stage of the pipeline; `status` is what a claim is once it passed it (the claim store's word)."""

    name: str
    settings: type[StageSettings]
    input_topic: str
    output_topic: str
    status: str
    build: Callable[[Dependencies, Any], Handlers]
    audit: EntryFor | None = None
    after_record: AfterRecord | None = None

    def stage(self, deps: Dependencies, settings: StageSettings | None = None) -> Stage[BaseModel]:
        """The runner's stage: the handlers built from `deps` and this stage's settings, with its record hook."""
        from services.core.runner import Stage

        handlers = self.build(deps, settings if settings is not None else self.settings())
        return Stage(
            self.name,
            self.input_topic,
            self.output_topic,
            handlers.input_model,
            handlers.handle,
            self.record_hook(deps),
            handle_batch=handlers.handle_batch,
            side_events=handlers.side_events,
            cost=handlers.cost,
            max_cost=handlers.max_cost,
        )

    def record_hook(
        self, deps: Dependencies
    ) -> Callable[[str, Sequence[ClaimCase], Sequence[str], Sequence[bytes]], None]:
        """The runner's record hook: a batch's stage rows, its audit entries and what `after_record` adds, in one
        transaction; all idempotent, so a replayed batch adds nothing."""
        from services.core.audit import entries_for
        from services.core.database import writing

        def record(
            stage: str, cases: Sequence[ClaimCase], texts: Sequence[str] | None, consumed: Sequence[bytes] | None
        ) -> None:
            entries = entries_for(self.audit, cases, consumed) if self.audit is not None else []
            with writing(deps.store.engine) as conn:
                deps.store.record_stage(stage, cases, texts, conn=conn)
                deps.audit.append(entries, conn=conn)
                if self.after_record is not None:
                    self.after_record(deps, cases, conn)

        return record
