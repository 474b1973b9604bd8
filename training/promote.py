"""The promotion gate: `challenger` becomes `champion` only when it beats it on held-back claims.

Both are scored on the same labelled rows, by default the held-back part of the data set that
training set aside (the same seeded split, so neither model saw them); the configured metric
decides, and the verdict says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.registry import ModelRegistry
from training.evaluation import evaluate
from training.run import CHALLENGER, CHAMPION, holdout_digest
from training.sources import TrainingSet

# The metric each model is promoted on by default; all are "higher is better" except those below.
GATE_METRICS = {"fraud": "roc_auc", "severity": "d2_gamma", "peril": "accuracy"}
LOWER_IS_BETTER = frozenset({"brier", "mae", "rmse", "q90_pinball"})


@dataclass(frozen=True)
class Verdict:
    """What the gate decided, and why."""

    promoted: bool
    reason: str
    challenger: dict[str, float]
    champion: dict[str, float]


def promote(
    registry: ModelRegistry, name: str, held: TrainingSet, metric: str | None = None, min_gain: float = 0.0
) -> Verdict:
    """Move `name@champion` to the challenger's version if it beats the champion on `held` by more than `min_gain`."""
    metric = metric or GATE_METRICS[name]
    challenger_version = registry.version_of(name, CHALLENGER)
    champion_version = registry.version_of(name, CHAMPION)
    if challenger_version is None:
        return Verdict(False, f"no {name}@{CHALLENGER} registered: train one first", {}, {})
    challenger = evaluate(name, registry.load(name, CHALLENGER), held)
    if metric not in challenger:
        raise ValueError(f"unknown metric {metric!r} for {name}; choose from {', '.join(sorted(challenger))}")
    if champion_version is None or champion_version == challenger_version:
        if champion_version is None:
            registry.set_alias(name, CHAMPION, challenger_version)
            return Verdict(True, f"no champion yet: version {challenger_version} becomes champion", challenger, {})
        return Verdict(False, f"version {challenger_version} is already champion", challenger, challenger)
    champion = evaluate(name, registry.load(name, CHAMPION), held)
    gain = challenger[metric] - champion[metric]
    gain = -gain if metric in LOWER_IS_BETTER else gain
    figures = (
        f"{metric} {challenger[metric]:.4f} (challenger v{challenger_version}) vs "
        f"{champion[metric]:.4f} (champion v{champion_version}) on {len(held.frame):,} held-back claims"
    )
    if gain > min_gain:
        registry.set_alias(name, CHAMPION, challenger_version)
        return Verdict(True, f"promoted: {figures}", challenger, champion)
    return Verdict(
        False,
        f"kept the champion: {figures}; the challenger must be better by more than {min_gain:g}",
        challenger,
        champion,
    )


def unseen_by_both(registry: ModelRegistry, name: str, held: TrainingSet) -> list[str]:
    """Warnings for each of champion and challenger not trained with exactly these rows held back."""
    digest, warnings = holdout_digest(held), []
    for alias in (CHAMPION, CHALLENGER):
        version = registry.version_of(name, alias)
        if version is not None and registry.version_tags(name, version).get("holdout_sha256") != digest:
            warnings.append(
                f"{name}@{alias} (v{version}) was not trained with these rows held back: it may have seen some of them"
            )
    return warnings
