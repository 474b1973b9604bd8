"""The A/B split and shadow scoring: which arm decides a claim, and what the other arm said of it.

A claim's arm comes from its id alone (a sha256 point in [0, 1) against the challenger's share),
so the same claim always gets the same arm, in every process and on every replay. When both arms
are loaded, the arm that does not decide still scores the claim: its result rides along as the
`shadow` of the deciding one, for comparison; the router never reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from models.features import FeatureRow
from services.core.events import FraudScore, SeverityEstimate

Arm = Literal["champion", "challenger"]
CHAMPION: Arm = "champion"
CHALLENGER: Arm = "challenger"


ScoreT = TypeVar("ScoreT", FraudScore, SeverityEstimate)
ModelT = TypeVar("ModelT")


@dataclass(frozen=True)
class SplitPolicy:
    """How claims are shared between the arms."""

    challenger_share: float = 0.0
    shadow: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.challenger_share <= 1.0:
            raise ValueError(f"challenger_share must be within [0, 1], not {self.challenger_share}")


@dataclass(frozen=True)
class ArmedModels(Generic[ModelT]):
    """A model's champion and, when one is registered apart from it, its challenger."""

    champion: ModelT
    challenger: ModelT | None = None


def arm_for(claim_id: str, challenger_share: float) -> Arm:
    """The arm that decides `claim_id`: the same answer for the same claim, always."""
    point = int.from_bytes(hashlib.sha256(claim_id.encode()).digest()[:8], "big") / 2**64
    return CHALLENGER if point < challenger_share else CHAMPION


def split(
    claim_ids: Sequence[str],
    rows: Sequence[FeatureRow],
    models: ArmedModels[ModelT],
    predict: Callable[[ModelT, Sequence[FeatureRow]], list[ScoreT]],
    policy: SplitPolicy,
) -> list[ScoreT]:
    """Each claim's output from its arm, with the other arm's output as its shadow when shadowing is on."""
    champion = [_as_arm(s, CHAMPION) for s in predict(models.champion, rows)]
    if models.challenger is None or not (policy.shadow or policy.challenger_share > 0):
        return champion
    challenger = [_as_arm(s, CHALLENGER) for s in predict(models.challenger, rows)]
    decided = []
    for claim_id, ours, theirs in zip(claim_ids, champion, challenger, strict=True):
        first, other = (theirs, ours) if arm_for(claim_id, policy.challenger_share) == CHALLENGER else (ours, theirs)
        decided.append(first.model_copy(update={"shadow": other if policy.shadow else None}))
    return decided


def _as_arm(score: ScoreT, arm: Arm) -> ScoreT:
    if score.model is None or score.model.arm == arm:
        return score
    return score.model_copy(update={"model": score.model.model_copy(update={"arm": arm})})
