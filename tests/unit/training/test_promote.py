"""The promotion gate moves `champion` only to a challenger that does better on held-back claims."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from training.promote import promote
from training.sources import TrainingSet

HELD = TrainingSet(
    "held",
    pd.DataFrame(
        {
            "Description": ["hail on roof", "fire in shed", "car hit pole", "vandals"],
            "peril": ["hail", "fire", "vehicle", "vandalism"],
        }
    ),
    "file",
    "0" * 64,
    "test",
)


class FixedPeril:
    """A peril model that answers from a table."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def classify_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        return [(self.answers.get(text, "other"), 0.9) for text in texts]


class FakeRegistry:
    """Aliases over fixed versions, as the MLflow registry keeps them."""

    def __init__(self, versions: dict[str, FixedPeril], aliases: dict[str, str]) -> None:
        self.versions, self.aliases = versions, aliases

    def version_of(self, name: str, alias: str) -> str | None:
        return self.aliases.get(alias)

    def load(self, name: str, alias: str) -> FixedPeril:
        return self.versions[self.aliases[alias]]

    def set_alias(self, name: str, alias: str, version: str) -> None:
        self.aliases[alias] = version


WEAK = FixedPeril({"hail on roof": "hail"})
STRONG = FixedPeril({"hail on roof": "hail", "fire in shed": "fire", "car hit pole": "vehicle"})


def test_a_better_challenger_is_promoted_and_the_verdict_says_why() -> None:
    registry = FakeRegistry({"1": WEAK, "2": STRONG}, {"champion": "1", "challenger": "2"})
    verdict = promote(registry, "peril", HELD)  # type: ignore[arg-type]
    assert verdict.promoted and registry.aliases["champion"] == "2"
    assert "accuracy 0.7500 (challenger v2) vs 0.2500 (champion v1) on 4 held-back claims" in verdict.reason


def test_a_worse_or_not_better_enough_challenger_is_not() -> None:
    registry = FakeRegistry({"1": STRONG, "2": WEAK}, {"champion": "1", "challenger": "2"})
    assert not promote(registry, "peril", HELD).promoted  # type: ignore[arg-type]
    registry = FakeRegistry({"1": WEAK, "2": STRONG}, {"champion": "1", "challenger": "2"})
    verdict = promote(registry, "peril", HELD, min_gain=0.6)  # type: ignore[arg-type]
    assert not verdict.promoted and registry.aliases["champion"] == "1" and "more than 0.6" in verdict.reason
