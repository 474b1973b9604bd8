"""Match probabilities for persons and addresses, from the models Splink trained (training/links.py).

Splink estimates each comparison level's m and u probabilities on DuckDB, offline; scoring the few
candidates a new claim's blocking keys find needs only those numbers, so the links stage reads Splink's
saved model and evaluates its levels here (names by Jaro-Winkler with rapidfuzz, as DuckDB's
`jaro_winkler_similarity` computes it) instead of starting a DuckDB query per claim.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz.distance import JaroWinkler

MODELS = Path(__file__).with_name("models")
Record = Mapping[str, str | None]
Test = Callable[[str, str], bool]

_NULL = re.compile(r'^"(\w+)_l" IS NULL OR "\w+_r" IS NULL$')
_EQUAL = re.compile(r'^"(\w+)_l" = "\w+_r"$')
_JARO_WINKLER = re.compile(r'^jaro_winkler_similarity\("(\w+)_l", "\w+_r"\) >= ([0-9.]+)$')


@dataclass(frozen=True)
class Level:
    """One level of a comparison: whether a pair of values is at it, and its log2 Bayes factor log2(m/u)."""

    test: Test
    weight: float


@dataclass(frozen=True)
class Comparison:
    column: str
    levels: tuple[Level, ...]

    def weight(self, left: str | None, right: str | None) -> float:
        if left is None or right is None:
            return 0.0  # the null level: a missing value is no evidence either way
        return next((lv.weight for lv in self.levels if lv.test(left, right)), 0.0)


def _equal(left: str, right: str) -> bool:
    return left == right


def _anything(left: str, right: str) -> bool:
    return True


def _test(condition: str) -> Test | None:
    """The check a Splink level's SQL condition makes; None for the null level. Unknown SQL is refused."""
    if _NULL.match(condition):
        return None
    if _EQUAL.match(condition):
        return _equal
    if jw := _JARO_WINKLER.match(condition):
        threshold = float(jw.group(2))
        return lambda left, right: JaroWinkler.similarity(left, right) >= threshold
    if condition == "ELSE":
        return _anything
    raise ValueError(f"a match model level tests {condition!r}: only exact, jaro_winkler_similarity and ELSE levels")


def _bayes_factor(level: Mapping[str, float | None]) -> float:
    m, u = level.get("m_probability"), level.get("u_probability")
    return math.log2(m / u) if m and u else 0.0  # a level never seen in training says nothing


@dataclass(frozen=True)
class MatchModel:
    """A Fellegi-Sunter model: the prior log-odds of a match plus each comparison's Bayes factor."""

    prior: float
    comparisons: tuple[Comparison, ...]

    def probability(self, left: Record, right: Record) -> float:
        """The probability that two records are of the same entity."""
        weight = self.prior + sum(c.weight(left.get(c.column), right.get(c.column)) for c in self.comparisons)
        return 1.0 / (1.0 + 2.0 ** (-weight)) if weight > -60 else 0.0

    @classmethod
    def from_splink(cls, path: Path) -> MatchModel:
        """A model from the JSON file Splink's `save_model_to_json` wrote."""
        settings = json.loads(path.read_text())
        comparisons = []
        for comparison in settings["comparisons"]:
            levels = []
            for level in comparison["comparison_levels"]:
                test = _test(level["sql_condition"])
                if test is not None:
                    levels.append(Level(test, _bayes_factor(level)))
            comparisons.append(Comparison(comparison["output_column_name"], tuple(levels)))
        lam = settings["probability_two_random_records_match"]
        return cls(math.log2(lam / (1 - lam)), tuple(comparisons))


@cache
def model(kind: str) -> MatchModel:
    """The packaged model for `kind` (person or address)."""
    return MatchModel.from_splink(MODELS / f"{kind}.json")
