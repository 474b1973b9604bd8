"""The peril pipeline's arithmetic without sklearn's per-call overhead, for the router's small batches.

sklearn's `predict_proba` on the fitted pipeline has a fixed cost a call whatever the batch (input checks, two
sparse TF-IDF transforms, 3 folds x 8 per-peril calibrators, each a separate call), and the router calls it for
every small batch. The same sums, done here: sklearn's own analysers cut each text into
terms; each term's TF-IDF weight (sublinear, l2-normalised per vectoriser, as fitted) multiplies its row of the
three folds' stacked SVM weights; each fold's per-peril Platt sigmoid, normalised over the perils, is averaged
over the folds. `compile_pipeline` checks itself against sklearn on probe texts and returns None (sklearn is
used) for a pipeline of another shape, or if the two ever disagree.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

log = logging.getLogger(__name__)

# Descriptions the compiled form must score as sklearn does before it is used (one empty, one of no known term).
PROBES = (
    "",
    "zzqx",
    "tree fell on the car in the storm",
    "hail dented the roof and bonnet",
    "burst pipe flooded the kitchen",
    "vandals scratched the doors overnight",
    "lightning struck the house",
    "rear ended at the lights, bumper and boot damaged",
    "fire in the garage spread to the car",
)
TOLERANCE = 1e-9


@dataclass(frozen=True)
class _Vectoriser:
    analyse: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear: bool
    weights: np.ndarray  # (terms, folds * perils): the rows of the stacked SVM weights this vectoriser's terms use


@dataclass(frozen=True)
class CompiledPeril:
    vectorisers: tuple[_Vectoriser, ...]
    intercepts: np.ndarray  # (folds * perils,)
    slopes: np.ndarray  # Platt's a, per fold and peril
    offsets: np.ndarray  # Platt's b
    folds: int
    perils: int

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (already normalised), one column per peril: as the pipeline's `predict_proba`."""
        margins = np.tile(self.intercepts, (len(texts), 1))
        for row, text in enumerate(texts):
            for v in self.vectorisers:
                counts = Counter(term for term in v.analyse(text) if term in v.vocabulary)
                if not counts:
                    continue
                columns = np.fromiter((v.vocabulary[t] for t in counts), dtype=np.intp, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                weight = (np.log(tf) + 1.0 if v.sublinear else tf) * v.idf[columns]
                weight /= np.sqrt(weight @ weight)
                margins[row] += weight @ v.weights[columns]
        calibrated = expit(-(self.slopes * margins + self.offsets)).reshape(len(texts), self.folds, self.perils)
        total = calibrated.sum(axis=2, keepdims=True)
        uniform = np.full_like(calibrated, 1.0 / self.perils)
        calibrated = np.divide(calibrated, total, out=uniform, where=total != 0)
        mean: np.ndarray = calibrated.mean(axis=1)
        mean[(mean > 1.0) & (mean <= 1.0 + 1e-5)] = 1.0
        return mean


def compile_pipeline(pipeline: Pipeline) -> CompiledPeril | None:
    """The pipeline's compiled form, checked against sklearn on `PROBES`; None if it has another shape or differs."""
    compiled = _compile(pipeline)
    if compiled is None:
        return None
    expected = np.asarray(pipeline.predict_proba(list(PROBES)))
    difference = float(np.abs(compiled.probabilities(PROBES) - expected).max())
    if difference > TOLERANCE:
        log.warning("peril model: compiled probabilities differ from sklearn's by %.3g; sklearn is used", difference)
        return None
    return compiled


def _compile(pipeline: Pipeline) -> CompiledPeril | None:
    if len(pipeline.steps) != 2:
        return None
    union, calibrated = pipeline.steps[0][1], pipeline.steps[1][1]
    if not (
        isinstance(union, FeatureUnion)
        and union.transformer_weights is None
        and isinstance(calibrated, CalibratedClassifierCV)
        and calibrated.method == "sigmoid"
    ):
        return None
    vectorisers = [v for _, v in union.transformer_list]
    if not all(isinstance(v, TfidfVectorizer) and v.norm == "l2" and v.use_idf and not v.binary for v in vectorisers):
        return None
    classes = np.asarray(calibrated.classes_)
    folds = calibrated.calibrated_classifiers_
    if len(classes) < 3:  # binary calibration is normalised differently
        return None
    # Stack every fold's per-peril SVM into one matrix: column f * perils + k is fold f's peril k.
    width = len(folds) * len(classes)
    n_features = sum(len(v.vocabulary_) for v in vectorisers)
    weights = np.zeros((n_features, width))
    intercepts, slopes = np.zeros(width), np.zeros(width)
    offsets = np.full(width, np.inf)  # a peril a fold never saw keeps probability 0 there (sigmoid of -inf)
    for f, fold in enumerate(folds):
        estimator = fold.estimator
        # Platt calibrators carry a_ and b_ (sklearn's class for them is private, so it is not imported here)
        if not hasattr(estimator, "coef_") or not all(hasattr(c, "a_") and hasattr(c, "b_") for c in fold.calibrators):
            return None
        seen = np.searchsorted(classes, estimator.classes_)
        if len(seen) != len(fold.calibrators) or estimator.coef_.shape[0] != len(seen):
            return None
        columns = f * len(classes) + seen
        weights[:, columns] = np.asarray(estimator.coef_).T
        intercepts[columns] = estimator.intercept_
        slopes[columns] = [c.a_ for c in fold.calibrators]
        offsets[columns] = [c.b_ for c in fold.calibrators]
    compiled, start = [], 0
    for v in vectorisers:
        size = len(v.vocabulary_)
        compiled.append(
            _Vectoriser(
                v.build_analyzer(),
                dict(v.vocabulary_),
                np.asarray(v.idf_),
                v.sublinear_tf,
                np.ascontiguousarray(weights[start : start + size]),
            )
        )
        start += size
    return CompiledPeril(tuple(compiled), intercepts, slopes, offsets, len(folds), len(classes))
