"""Drift of a model's inputs and scores against its training data: reference histograms and the PSI.

At training time each input feature and the score get a histogram on the training population
(numbers: bins at its deciles; categories and ordered bins: one bin per label, one for anything
unseen), each with a bin for missing values. It is saved with the model version (an MLflow
artifact, `drift_reference.json`). Later, live values are counted into the same bins and compared
by the population stability index, PSI = sum((live - ref) * ln(live / ref)) over the bins.
Common reading: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a major shift.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from models.features import FeatureSpec, FeatureValue

SCORE = "score"  # the reference's name for the model's own output
FLOOR = 1e-4  # an empty bin counts as this share, so the PSI stays finite
MODERATE, MAJOR = 0.1, 0.25
ARTIFACT = "drift_reference.json"


@dataclass(frozen=True)
class Histogram:
    """Bins of one value and the share of the reference population in each (the last bin: missing)."""

    name: str
    kind: Literal["numeric", "category"]
    shares: tuple[float, ...]
    edges: tuple[float, ...] = ()  # numeric: bin i holds values <= edges[i]; one more bin above the last edge
    labels: tuple[str, ...] = ()  # category: one bin per label, then one for unseen labels

    @property
    def bin_names(self) -> list[str]:
        if self.kind == "numeric":
            inner = [f"<= {e:g}" for e in self.edges]
            return [*inner, f"> {self.edges[-1]:g}" if self.edges else "any", "missing"]
        return [*self.labels, "other", "missing"]

    def counts(self, values: Sequence[FeatureValue]) -> np.ndarray:
        """How many of `values` fall in each bin."""
        bins = len(self.shares)
        index = np.full(len(values), bins - 1)
        present = [i for i, v in enumerate(values) if v is not None and not (isinstance(v, float) and np.isnan(v))]
        if self.kind == "numeric":
            numbers = np.array([values[i] for i in present], dtype=float)
            index[present] = np.searchsorted(np.array(self.edges, dtype=float), numbers, side="left")
        else:
            position = {label: i for i, label in enumerate(self.labels)}
            index[present] = [position.get(str(values[i]), len(self.labels)) for i in present]
        return np.bincount(index, minlength=bins)


def histogram(
    name: str,
    kind: Literal["numeric", "category"],
    values: Sequence[FeatureValue],
    labels: Sequence[str] = (),
    bins: int = 10,
) -> Histogram:
    """The reference histogram of `values`: numbers cut at their deciles (distinct cut points only)."""
    edges: tuple[float, ...] = ()
    if kind == "numeric":
        numbers = np.array([float(v) for v in values if v is not None and not np.isnan(float(v))], dtype=float)
        if numbers.size:
            edges = tuple(float(e) for e in np.unique(np.quantile(numbers, np.linspace(0, 1, bins + 1)[1:-1])))
            edges = edges or (float(numbers[0]),)
    bins_with_missing = len(edges) + 2 if kind == "numeric" else len(labels) + 2
    counts = Histogram(name, kind, (0.0,) * bins_with_missing, edges, tuple(labels)).counts(values)
    return Histogram(name, kind, tuple(float(c) for c in counts / max(counts.sum(), 1)), edges, tuple(labels))


def psi(reference: Histogram, values: Sequence[FeatureValue]) -> float:
    """Population stability index of `values` against the reference histogram (0 when nothing to compare)."""
    counts = reference.counts(values)
    if counts.sum() == 0:
        return 0.0
    live = np.maximum(counts / counts.sum(), FLOOR)
    expected = np.maximum(np.array(reference.shares), FLOOR)
    return float(np.sum((live - expected) * np.log(live / expected)))


def reading(value: float) -> str:
    """The usual words for a PSI."""
    return "major shift" if value > MAJOR else "moderate shift" if value > MODERATE else "stable"


@dataclass(frozen=True)
class DriftReference:
    """A model version's reference histograms: one per input feature, and its score."""

    features: tuple[Histogram, ...]
    score: Histogram
    rows: int

    @classmethod
    def learn(
        cls, spec: FeatureSpec, rows: Sequence[Mapping[str, FeatureValue]], scores: Sequence[float]
    ) -> DriftReference:
        """The reference of a model reading `spec`, from the training population's feature rows and scores."""
        features = tuple(
            histogram(
                f.name, "numeric" if f.kind == "numeric" else "category", [r.get(f.name) for r in rows], f.categories
            )
            for f in spec.features
        )
        return cls(features, histogram(SCORE, "numeric", [float(s) for s in scores]), len(rows))

    def drift(self, rows: Sequence[Mapping[str, FeatureValue]], scores: Sequence[float]) -> dict[str, float]:
        """PSI of each input feature and of the score (key `score`) for live rows and scores."""
        found = {h.name: psi(h, [r.get(h.name) for r in rows]) for h in self.features}
        return found | {SCORE: psi(self.score, list(scores))}

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> DriftReference:
        raw = json.loads(text)

        def hist(h: dict[str, Any]) -> Histogram:
            return Histogram(h["name"], h["kind"], tuple(h["shares"]), tuple(h["edges"]), tuple(h["labels"]))

        return cls(tuple(hist(h) for h in raw["features"]), hist(raw["score"]), int(raw["rows"]))
