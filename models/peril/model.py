"""The cause-of-loss model: a loss description in free text -> its peril, with a probability.

Character n-grams read misspellings and abbreviations ("vandalism dmg", "lightening"), word
n-grams read phrases ("tree fell"); a linear support vector machine weighs them, and its margins
become probabilities by a sigmoid fitted on three inner folds (Platt, one per peril, normalised).
Trained here (training/peril.py), no downloaded weights. The routing and the adjuster's screen use `classify`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline, make_pipeline, make_union
from sklearn.svm import LinearSVC

from models.peril.compiled import CompiledPeril, compile_pipeline
from services.core.events import ModelRef

UNREGISTERED = ModelRef(name="peril", version="unregistered", alias="none")
TEXT_COLUMN = "description"
UNKNOWN = "other"  # what an empty description is classified as


def normalise(text: str) -> str:
    """A description as the model reads it: lower case, padding and repeated spaces gone."""
    return " ".join(text.lower().split())


def text_classifier(c: float = 0.5, seed: int = 7) -> Pipeline:
    """The untrained pipeline: TF-IDF of character 2-5-grams and word 1-2-grams, then a calibrated linear SVM."""
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    margins = LinearSVC(C=c, random_state=seed)
    return make_pipeline(features, CalibratedClassifierCV(margins, method="sigmoid", cv=3))


@dataclass(frozen=True, eq=False)
class PerilModel:
    """Classifies loss descriptions into perils (vandalism, fire, lightning, wind, hail, vehicle, water, other)."""

    pipeline: Pipeline
    ref: ModelRef = field(default=UNREGISTERED)

    @property
    def perils(self) -> list[str]:
        return [str(p) for p in self.pipeline.classes_]

    def with_ref(self, ref: ModelRef) -> PerilModel:
        """The same model, named as the registry knows it."""
        return replace(self, ref=ref)

    @cached_property
    def compiled(self) -> CompiledPeril | None:
        """The pipeline's arithmetic without sklearn's per-call cost (None: sklearn is used)."""
        return compile_pipeline(self.pipeline)

    def __getstate__(self) -> dict[str, object]:
        # The compiled form is remade, and checked again, where the model is loaded (the registry pickles it).
        return {k: v for k, v in self.__dict__.items() if k != "compiled"}

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per peril (in `perils` order)."""
        normalised = [normalise(t) for t in texts]
        if self.compiled is not None:
            return self.compiled.probabilities(normalised)
        return np.asarray(self.pipeline.predict_proba(normalised))

    def classify(self, text: str) -> tuple[str, float]:
        """The most likely peril of one loss description, and its probability."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """The most likely peril and its probability for each description; an empty one is `other`."""
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        best = probabilities.argmax(axis=1)
        perils = self.perils
        return [
            (perils[b], float(row[b])) if normalise(t) else (UNKNOWN, 0.0)
            for t, b, row in zip(texts, best, probabilities, strict=True)
        ]

    def predict_features(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Peril and probability for a frame with a `description` column, e.g. from MLflow."""
        classified = self.classify_many([str(t) for t in raw[TEXT_COLUMN].fillna("")])
        return pd.DataFrame(classified, columns=["peril", "probability"])


def classify(model: PerilModel, text: str) -> tuple[str, float]:
    """The peril of a loss description under `model`, and its probability."""
    return model.classify(text)
