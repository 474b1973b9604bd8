"""The models the gateway serves: fraud and severity by alias, loaded in the background, followed on watch threads.

No BentoML here: the service (services/gateway/service.py) only translates HTTP into these calls.
A model whose champion is not registered yet is retried every `reload_s`; until both are loaded
the gateway is not ready. Once loaded, each model's watch thread re-reads its aliases every
`reload_s` and switches to a moved alias only after the new version has loaded (models.live), so a
request never waits on a load: it reads `current` once and scores its whole batch with that pair.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import partial
from typing import Any

from models.arms import SplitPolicy, split
from models.client.inprocess import describe
from models.client.wire import FraudClaim, SeverityClaim
from models.features import FeatureRow
from models.live import AliasRegistry, LiveModels
from services.core.events import FraudScore, SeverityEstimate
from services.core.heap import quieten_garbage_collector

log = logging.getLogger(__name__)
NAMES = ("fraud", "severity")


class NotReady(Exception):
    """A model the request needs is not loaded yet."""


class ServedModels:
    """The gateway's models and its A/B split."""

    def __init__(
        self,
        registry: AliasRegistry,
        policy: SplitPolicy,
        *,
        aliases: dict[str, str],
        reload_s: float,
        explain_threads: int = 1,
    ) -> None:
        self.registry, self.policy, self.aliases, self.reload_s = registry, policy, aliases, reload_s
        self.explain_threads = explain_threads  # a batch's SHAP values are the gateway's costliest step
        self.live: dict[str, LiveModels | None] = dict.fromkeys(NAMES)
        self.stop = threading.Event()

    @property
    def ready(self) -> bool:
        """Whether every model is loaded."""
        return all(live is not None for live in self.live.values())

    def start(self) -> list[threading.Thread]:
        """One daemon thread per model: load it (retrying until it is registered), then follow its aliases."""
        threads = [
            threading.Thread(target=self._serve, args=(name,), name=f"gateway-{name}", daemon=True) for name in NAMES
        ]
        for thread in threads:
            thread.start()
        return threads

    def close(self) -> None:
        self.stop.set()

    def score_fraud(self, claims: Sequence[FraudClaim]) -> list[FraudScore]:
        """Each claim's fraud score from its arm, the other arm's as its shadow; reasons for the claims that ask."""
        live = self._live("fraud")
        rows: list[FeatureRow] = [claim.features for claim in claims]
        wanted = [claim.reasons for claim in claims]
        explain = None if all(wanted) else wanted
        score = partial(_score, reasons=explain, threads=self.explain_threads)
        return split([c.claim_id for c in claims], rows, live.current, score, self.policy)

    def estimate_severity(self, claims: Sequence[SeverityClaim]) -> list[SeverityEstimate]:
        """Each motor claim's severity estimate from its arm, the other arm's as its shadow."""
        live = self._live("severity")
        rows: list[FeatureRow] = [claim.features for claim in claims]
        return split([c.claim_id for c in claims], rows, live.current, _estimate, self.policy)

    def describe(self) -> dict[str, Any]:
        """What is loaded: each model's champion and challenger versions and aliases, and the split."""
        served = describe(self.policy, self.live)
        served["ready"] = self.ready
        served["loading"] = [name for name, live in self.live.items() if live is None]
        return served

    def _live(self, name: str) -> LiveModels:
        live = self.live[name]
        if live is None:
            raise NotReady(f"the {name} model is not loaded yet")
        return live

    def _serve(self, name: str) -> None:
        while self.live[name] is None and not self.stop.is_set():
            try:
                self.live[name] = LiveModels(
                    self.registry, name, champion_alias=self.aliases[name], reload_s=self.reload_s
                )
            except Exception as exc:  # not trained yet, or the registry down: keep trying
                log.warning("gateway: cannot load %s yet (%s); retrying in %.0fs", name, exc, self.reload_s)
                self.stop.wait(self.reload_s)
        live = self.live[name]
        if live is not None:
            quieten_garbage_collector(young=20_000)  # full passes would walk the loaded models while requests wait
            live.watch(self.stop)


def _score(model: Any, rows: Sequence[FeatureRow], reasons: Sequence[bool] | None, threads: int) -> list[FraudScore]:
    return list(model.score_rows(rows, reasons=reasons, explain_threads=threads))


def _estimate(model: Any, rows: Sequence[FeatureRow]) -> list[SeverityEstimate]:
    return list(model.estimate_rows(rows))
