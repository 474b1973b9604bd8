"""The A/B split: deterministic by claim id, close to the configured share, the other arm as shadow."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from models.arms import CHALLENGER, CHAMPION, ArmedModels, SplitPolicy, arm_for, split
from models.features import FeatureRow
from services.core.events import FraudScore, ModelRef


class ConstantScorer:
    """A fraud 'model' that gives every claim the same probability."""

    def __init__(self, probability: float, version: str, alias: str) -> None:
        self.probability, self.ref = probability, ModelRef(name="fraud", version=version, alias=alias)

    def score_rows(self, rows: Sequence[FeatureRow]) -> list[FraudScore]:
        return [FraudScore(probability=self.probability, model=self.ref, reasons=[]) for _ in rows]


def score(models: ArmedModels[ConstantScorer], ids: list[str], policy: SplitPolicy) -> list[FraudScore]:
    return split(ids, [{} for _ in ids], models, lambda m, rows: m.score_rows(rows), policy)


PAIR = ArmedModels(ConstantScorer(0.1, "1", "champion"), ConstantScorer(0.9, "2", "challenger"))
IDS = [f"C{i:05d}" for i in range(4000)]


def test_the_same_claim_always_gets_the_same_arm() -> None:
    assert [arm_for(i, 0.3) for i in IDS] == [arm_for(i, 0.3) for i in IDS]


@pytest.mark.parametrize("share", [0.0, 0.1, 0.5, 1.0])
def test_the_challenger_gets_about_its_share(share: float) -> None:
    challenged = sum(arm_for(i, share) == CHALLENGER for i in IDS) / len(IDS)
    assert challenged == pytest.approx(share, abs=0.025)


def test_a_claim_keeps_its_arm_when_the_share_grows() -> None:
    assert all(arm_for(i, 0.2) == CHALLENGER for i in IDS if arm_for(i, 0.1) == CHALLENGER)


def test_each_claim_is_decided_by_its_arm_with_the_other_as_shadow() -> None:
    scores = score(PAIR, IDS[:200], SplitPolicy(challenger_share=0.5))
    for claim_id, s in zip(IDS, scores, strict=False):
        arm = arm_for(claim_id, 0.5)
        assert s.model.arm == arm and s.probability == (0.9 if arm == CHALLENGER else 0.1)
        assert s.shadow is not None and s.shadow.model.arm != arm and s.shadow.shadow is None
    assert {s.model.arm for s in scores} == {CHAMPION, CHALLENGER}


def test_shadow_off_keeps_only_the_deciding_score() -> None:
    assert all(s.shadow is None for s in score(PAIR, IDS[:50], SplitPolicy(0.5, shadow=False)))


def test_without_a_challenger_the_champion_decides_everything() -> None:
    scores = score(ArmedModels(PAIR.champion), IDS[:50], SplitPolicy(0.5))
    assert all(s.model.arm == CHAMPION and s.shadow is None and s.probability == 0.1 for s in scores)


def test_a_share_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="challenger_share"):
        SplitPolicy(challenger_share=1.5)
