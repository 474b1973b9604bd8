"""The fraud model: a LightGBM classifier, a calibrator fitted out of fold, and the feature spec it reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import lightgbm as lgb
import numpy as np
import pandas as pd

from models.calibration import Calibrator
from models.features import SCORING_THREADS, FeatureRow, FeatureSpec
from models.fraud.features import fraud_features
from models.fraud.reasons import top_reasons_of_batch
from models.fraud.treeshap import TreeShapTables
from services.core.events import ClaimCase, FraudScore, ModelRef, ReasonCode

UNREGISTERED = ModelRef(name="fraud", version="unregistered", alias="none")
TABLED_SHAP_ROWS = 16  # from this many rows explained, tabling the trees (once per loaded model) pays


@dataclass(frozen=True, eq=False)
class FraudModel:
    """Scores a claim case: calibrated fraud probability and the three strongest reasons.

    Trained on motor claims only; a claim of another line is still scored, its motor facts missing.
    """

    booster: lgb.Booster
    calibrator: Calibrator
    spec: FeatureSpec
    ref: ModelRef = field(default=UNREGISTERED)

    def with_ref(self, ref: ModelRef) -> FraudModel:
        """The same model, named as the registry knows it (with the SHAP tables of its trees, if built)."""
        named = replace(self, ref=ref)
        if "_shap_tables" in self.__dict__:
            named.__dict__["_shap_tables"] = self._shap_tables  # the same booster: the same tables
        return named

    def prepare(self) -> None:
        """Build what explaining a large batch needs (the SHAP tables, the compiled loop) now, not on that batch."""
        if self._shap_tables.usable:
            self._shap_tables(np.empty((0, self._shap_tables.features)))

    def probabilities(self, features: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Calibrated fraud probabilities for inputs built by `spec.frame` or `spec.matrix`."""
        return self.calibrator(np.asarray(self.booster.predict(features, raw_score=True)))

    def score(self, case: ClaimCase) -> FraudScore:
        """The fraud section of one case."""
        return self.score_many([case])[0]

    def score_many(self, cases: Sequence[ClaimCase]) -> list[FraudScore]:
        """The fraud sections of many cases, scored in one batch."""
        return self.score_rows([fraud_features(case.fnol) for case in cases])

    def score_rows(
        self,
        rows: Sequence[FeatureRow],
        reasons: Sequence[bool] | None = None,
        explain_threads: int = SCORING_THREADS,
    ) -> list[FraudScore]:
        """The fraud sections for feature rows (as `fraud_features` makes them), scored in one batch.

        `reasons` says which rows to explain (all by default); the others get their probability and no reasons.
        The probability never depends on it: it comes from the raw score, the reasons from the exact SHAP values
        of the rows explained, all at once on `explain_threads` threads: LightGBM's `pred_contrib`, or for a
        batch of TABLED_SHAP_ROWS or more the same values from per-leaf tables (models.fraud.treeshap).
        """
        if not rows:
            return []
        matrix = self.spec.matrix(rows)
        raw = np.asarray(self.booster.predict(matrix, raw_score=True, num_threads=SCORING_THREADS))
        probabilities = np.clip(self.calibrator(raw), 0.0, 1.0).tolist()
        explained = range(len(rows)) if reasons is None else [i for i, wanted in enumerate(reasons) if wanted]
        codes: list[list[ReasonCode]] = [[] for _ in rows]
        for i, found in zip(explained, self._reasons(matrix, rows, explained, explain_threads), strict=True):
            codes[i] = found
        return [
            FraudScore(probability=p, model=self.ref, reasons=found)
            for p, found in zip(probabilities, codes, strict=True)
        ]

    def _reasons(
        self, matrix: np.ndarray, rows: Sequence[FeatureRow], explained: Sequence[int], threads: int
    ) -> list[list[ReasonCode]]:
        if not explained:
            return []
        if len(explained) < len(rows):
            matrix, rows = matrix[list(explained)], [rows[i] for i in explained]
        if len(rows) >= TABLED_SHAP_ROWS and self._shap_tables.usable:
            contributions = self._shap_tables(matrix, threads)
        else:  # the last column is the base value
            contributions = np.asarray(self.booster.predict(matrix, pred_contrib=True, num_threads=threads))[:, :-1]
        return top_reasons_of_batch(self.spec.names, rows, contributions)

    @cached_property
    def _shap_tables(self) -> TreeShapTables:
        return TreeShapTables(self.booster)  # tabled on the first large batch, kept with the loaded model

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_shap_tables"}  # rebuilt after loading, not stored

    def predict_features(self, raw: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities for a frame of raw feature values (numbers and text), e.g. from MLflow."""
        return self.probabilities(self.spec.matrix(self.spec.rows_from_raw(raw)))
