"""Models that follow their registry aliases: a moved alias is loaded first, then switched to in one step.

Scoring reads `current` once per batch, so a batch is scored wholly by the models that were live when
it started; a switch replaces that one reference only after the new version has loaded, so no request
waits on a load or sees half a switch. A rollback is the same move back (an already loaded version is
reused). A failed load keeps the models that were live and is tried again at the next check.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from models.arms import CHALLENGER, CHAMPION, ArmedModels

log = logging.getLogger(__name__)


class AliasRegistry(Protocol):
    """What LiveModels needs of the registry (models.registry.ModelRegistry, or a fake in tests)."""

    def version_of(self, name: str, alias: str) -> str | None: ...

    def load_version(self, name: str, version: str, alias: str) -> Any: ...


class LiveModels:
    """`name`'s champion and challenger as the registry's aliases name them, re-checked every `reload_s`."""

    current: ArmedModels[Any]

    def __init__(
        self,
        registry: AliasRegistry,
        name: str,
        *,
        champion_alias: str = CHAMPION,
        challenger_alias: str = CHALLENGER,
        reload_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.registry, self.name, self.reload_s, self.clock = registry, name, reload_s, clock
        self.aliases = (champion_alias, challenger_alias)
        self._lock = threading.Lock()
        self._versions: tuple[str | None, str | None] = (None, None)
        self._loaded: dict[str, Any] = {}
        self._checked = clock()
        self._refreshing = False
        if not self.refresh():
            raise LookupError(f"no model {name}@{champion_alias}; train one with `triage train`")

    @property
    def versions(self) -> tuple[str | None, str | None]:
        """The champion's and the challenger's versions now live (the challenger None when there is none)."""
        return self._versions

    def refresh(self) -> bool:
        """Check the aliases now; load and switch to what moved. Whether anything switched."""
        with self._lock:
            self._checked = self.clock()
            champion, challenger = (self.registry.version_of(self.name, alias) for alias in self.aliases)
            if champion is None:
                return False  # keep serving what is live rather than nothing
            if challenger == champion:
                challenger = None  # one model in both arms: nothing to compare, nothing to score twice
            if (champion, challenger) == self._versions:
                return False
            loaded = {CHAMPION: self._model(champion, self.aliases[0])}
            if challenger is not None:
                loaded[CHALLENGER] = self._model(challenger, self.aliases[1])
            self.current = ArmedModels(loaded[CHAMPION], loaded.get(CHALLENGER))  # the switch: one assignment
            log.info("%s: champion v%s, challenger v%s", self.name, champion, challenger or "-")
            self._versions = (champion, challenger)
            self._loaded = {v: model for v, model in self._loaded.items() if v in (champion, challenger)}
            return True

    def refresh_if_due(self) -> threading.Thread | None:
        """`refresh` on a thread of its own when `reload_s` has passed since the last check (the thread, to join
        if you must wait): scoring never waits on the registry; a failure is logged, the live models stay."""
        with self._lock:
            if self.clock() - self._checked < self.reload_s or self._refreshing:
                return None
            self._refreshing = True
        checking = threading.Thread(target=self._refresh_logged, name=f"{self.name}-aliases", daemon=True)
        checking.start()
        return checking

    def _refresh_logged(self) -> None:
        try:
            self.refresh()
        except Exception:  # the registry down or a bad version: keep scoring with what is live
            log.exception("%s: could not check the registry; keeping v%s", self.name, self._versions[0])
        finally:
            self._refreshing = False

    def watch(self, stop: threading.Event) -> None:
        """Check the aliases every `reload_s` until `stop` is set (run on a thread of its own)."""
        while not stop.wait(self.reload_s):
            self._refresh_logged()

    def _model(self, version: str, alias: str) -> Any:
        """Version `version` named as `alias`; a version already loaded (a promotion, a rollback) is reused."""
        if version not in self._loaded:
            loaded = self.registry.load_version(self.name, version, alias)
            getattr(loaded, "prepare", lambda: None)()  # whatever its first batch would build, before the switch
            self._loaded[version] = loaded
        model = self._loaded[version]
        return model.with_ref(model.ref.model_copy(update={"alias": alias}))
