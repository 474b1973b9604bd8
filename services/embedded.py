"""The whole pipeline in one process: every stage on its own thread over the in-process bus."""

from __future__ import annotations

import threading
from types import TracebackType

from services.core.bus.memory import MemoryBus
from services.core.heap import quieten_garbage_collector
from services.core.metrics import StageMetrics
from services.core.runner import Runner
from services.core.settings import TriageSettings
from services.pipeline import INPUTS, SETTINGS, STAGES, Dependencies, build_stage


class EmbeddedPipeline:
    """Start with `with EmbeddedPipeline(settings) as pipeline:`; publish to `pipeline.bus`; stops on exit."""

    def __init__(self, settings: TriageSettings, *, poll_timeout_s: float = 0.05) -> None:
        self.deps = Dependencies.from_settings(settings)
        self.bus = MemoryBus()
        self.metrics = StageMetrics()
        self.runners: list[Runner] = []  # type: ignore[type-arg]
        for name in STAGES:
            stage_settings = SETTINGS[name]()
            self.runners.append(
                Runner(
                    build_stage(name, self.deps, stage_settings),
                    self.bus.stage_link(name, [INPUTS[name]]),
                    batch_size=stage_settings.batch_limit(in_process=True),
                    poll_timeout_s=poll_timeout_s,
                    metrics=self.metrics,
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
