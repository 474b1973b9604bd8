"""Feature specs: which features a model reads, and how a list of feature dicts becomes its input frame.

The category lists are fixed once (learnt from the training data, or the bin order of an
ordered feature) and saved with the model, so scoring builds exactly the columns training
saw: an unseen category becomes missing, never a new code and never a crash.
Ordered bins ("none" < "1 to 7" < ... < "more than 30") go to LightGBM as their position, so a
split can pool rare neighbouring bins; other categories go as pandas categoricals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

FeatureValue = float | str | None
FeatureRow = Mapping[str, FeatureValue]
# LightGBM threads for scoring claims' feature rows (a stage's batch, a gateway request): one. A pipeline stage
# shares the cores with the other stages, the gateway with its other requests; OpenMP threads spinning beside
# them cost more than they save on a batch this small.
# Bulk scoring of frames (`predict_features`, training) keeps LightGBM's default: every core.
SCORING_THREADS = 1


@dataclass(frozen=True)
class Feature:
    """One model input: a number, a category from a fixed list, or an ordered bin from a fixed list."""

    name: str
    kind: Literal["numeric", "category", "ordinal"]
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeatureSpec:
    """The ordered inputs of a model, with the category lists it was trained on."""

    features: tuple[Feature, ...]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.features]

    @classmethod
    def learn(
        cls,
        rows: Sequence[FeatureRow],
        *,
        numeric: Sequence[str],
        categorical: Sequence[str],
        ordinal: Mapping[str, Sequence[str]] | None = None,
    ) -> FeatureSpec:
        """A spec whose category lists are the values seen in `rows` (sorted, missing left out).

        `ordinal` maps each ordered feature to its bins in order; those lists are taken as given.
        """
        features = [Feature(name, "numeric") for name in numeric]
        features += [Feature(name, "ordinal", tuple(labels)) for name, labels in (ordinal or {}).items()]
        for name in categorical:
            seen = sorted({str(row[name]) for row in rows if row.get(name) is not None})
            features.append(Feature(name, "category", tuple(seen)))
        return cls(tuple(features))

    def frame(self, rows: Sequence[FeatureRow]) -> pd.DataFrame:
        """The model's input frame: numbers as float, ordered bins as their position, categories on the fixed list.

        Missing values and categories not on the list are NaN.
        """
        columns: dict[str, pd.Categorical[str] | np.ndarray] = {}
        for feature in self.features:
            numbers = _numbers(feature, [row.get(feature.name) for row in rows])
            if feature.kind == "category":
                codes = np.nan_to_num(numbers, nan=-1).astype(int)
                columns[feature.name] = pd.Categorical.from_codes(codes, categories=pd.Index(feature.categories))
            else:
                columns[feature.name] = numbers
        return pd.DataFrame(columns)

    def matrix(self, rows: Sequence[FeatureRow]) -> np.ndarray:
        """The same inputs as `frame`, categories as their codes: what LightGBM turns a frame into, made directly.

        Scoring uses it: a booster trained on the frame reads categorical columns as these codes,
        and one claim's scoring would otherwise be mostly pandas' overhead.
        """
        matrix = np.empty((len(rows), len(self.features)), dtype=float)
        for j, feature in enumerate(self.features):
            matrix[:, j] = _numbers(feature, [row.get(feature.name) for row in rows])
        return matrix

    def raw_frame(self, rows: Sequence[FeatureRow]) -> pd.DataFrame:
        """The feature dicts as a plain frame (numbers as float, categories as text): what MLflow's signature shows."""
        framed = self.frame(rows)
        for feature in self.features:
            if feature.kind == "category":
                framed[feature.name] = framed[feature.name].astype(object).where(framed[feature.name].notna(), None)
            elif feature.kind == "ordinal":
                labels = [None if np.isnan(v) else feature.categories[int(v)] for v in framed[feature.name]]
                framed[feature.name] = pd.Series(labels, dtype=object)
        return framed

    def rows_from_raw(self, raw: pd.DataFrame) -> list[FeatureRow]:
        """A raw frame (as `raw_frame` makes it, e.g. from MLflow) back as feature dicts."""
        # pandas types column labels as Hashable; these are the feature names
        return raw.astype(object).where(raw.notna(), None).to_dict("records")  # type: ignore[return-value]


def _numbers(feature: Feature, values: Sequence[FeatureValue]) -> np.ndarray:
    """A feature's values as floats: numbers as they are, categories and bins as their position; NaN if missing."""
    if feature.kind == "numeric":
        return np.array(values, dtype=float)  # numpy reads None as NaN
    position = {label: float(i) for i, label in enumerate(feature.categories)}
    return np.array([np.nan if v is None else position.get(str(v), np.nan) for v in values], dtype=float)
