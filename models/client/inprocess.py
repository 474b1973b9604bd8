"""The in-process adapter of the model-client port: the embedded default, no gateway to run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from models.arms import SplitPolicy, split
from models.client.port import ModelClient
from models.features import FeatureRow
from models.live import LiveModels
from services.core.events import FraudScore, SeverityEstimate


class InProcessModels(ModelClient):
    """Scores with models loaded in this process; each follows its aliases (checked at most every reload_s)."""

    def __init__(
        self, *, fraud: LiveModels | None = None, severity: LiveModels | None = None, policy: SplitPolicy | None = None
    ) -> None:
        self.fraud, self.severity, self.policy = fraud, severity, policy or SplitPolicy()

    def score_fraud_rows(
        self, claim_ids: Sequence[str], rows: Sequence[FeatureRow], *, reasons: bool = True
    ) -> list[FraudScore]:
        live = _required(self.fraud, "fraud")
        live.refresh_if_due()
        explain = None if reasons else [False] * len(rows)
        return split(claim_ids, rows, live.current, lambda model, r: model.score_rows(r, reasons=explain), self.policy)

    def estimate_severity_rows(self, claim_ids: Sequence[str], rows: Sequence[FeatureRow]) -> list[SeverityEstimate]:
        live = _required(self.severity, "severity")
        live.refresh_if_due()
        return split(claim_ids, rows, live.current, lambda model, r: model.estimate_rows(r), self.policy)

    def loaded(self) -> dict[str, Any]:
        return describe(self.policy, {"fraud": self.fraud, "severity": self.severity})


def describe(policy: SplitPolicy, models: dict[str, LiveModels | None]) -> dict[str, Any]:
    """What serves each model: versions of champion and challenger, and the split (the gateway's /v1/models)."""
    served: dict[str, Any] = {"challenger_share": policy.challenger_share, "shadow": policy.shadow, "models": {}}
    for name, live in models.items():
        if live is not None:
            champion, challenger = live.versions
            served["models"][name] = {
                "champion": {"alias": live.aliases[0], "version": champion},
                "challenger": None if challenger is None else {"alias": live.aliases[1], "version": challenger},
            }
    return served


def _required(live: LiveModels | None, name: str) -> LiveModels:
    if live is None:
        raise LookupError(f"this process did not load the {name} model")
    return live
