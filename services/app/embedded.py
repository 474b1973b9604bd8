"""The whole pipeline in one process: every stage on its own thread over the in-process bus."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import TracebackType

from pydantic import BaseModel

from services.app.bootstrap import build_runner, open_dependencies
from services.app.stages import STAGES, StageDeclaration
from services.core.bus.memory import MemoryBus
from services.core.heap import quieten_garbage_collector
from services.core.metrics import StageMetrics
from services.core.runner import Runner
from services.core.settings import TriageSettings


class EmbeddedPipeline:
    """Start with `with EmbeddedPipeline(settings) as pipeline:`; publish to `pipeline.bus`; stops on exit."""

    def __init__(
        self,
        settings: TriageSettings,
        *,
        poll_timeout_s: float = 0.05,
        stages: Sequence[StageDeclaration] = STAGES,
    ) -> None:
        self.deps = open_dependencies(settings, stages)
        self.bus = MemoryBus()
        self.metrics = StageMetrics()
        self.runners: list[Runner[BaseModel]] = []
        for stage in stages:
            stage_settings = stage.settings()
            self.runners.append(
                build_runner(
                    stage.stage(self.deps, stage_settings),
                    self.bus.stage_link(stage.name, [stage.input_topic], linger_ms=stage_settings.batch_linger_ms),
                    stage_settings,
                    in_process=True,
                    metrics=self.metrics,
                    poll_timeout_s=poll_timeout_s,
                )
            )
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=r.run, args=(self._stop,), name=r.stage.name, daemon=True) for r in self.runners
        ]

    def __enter__(self) -> EmbeddedPipeline:
        quieten_garbage_collector()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
