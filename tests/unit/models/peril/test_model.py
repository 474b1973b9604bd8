"""The peril model reads a loss description and names its peril, with a probability."""

from __future__ import annotations

import pickle
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from claimgen.datasets import peril_descriptions_frame
from models.peril import compiled
from models.peril.model import PerilModel, classify, normalise
from training.peril import train_peril
from training.sources import PERIL, TrainingSet, validate


def test_descriptions_are_read_without_padding_or_case() -> None:
    assert normalise("  Lightning DAMAGE   at HS      ") == "lightning damage at hs"


def test_a_trained_model_classifies_descriptions_it_never_saw() -> None:
    frame = validate(peril_descriptions_frame(600, seed=4), PERIL, "test")
    trained = train_peril(TrainingSet("synthetic", frame, "synthetic", "0" * 64, "test"), folds=3)
    model: PerilModel = trained.model
    assert trained.metrics["cv_accuracy"] > 0.9
    peril, probability = classify(model, "Lightning struck the siren at the fire station")
    assert peril == "lightning" and 0.5 < probability <= 1
    assert model.classify("   ") == ("other", 0.0)
    predicted = model.predict_features(pd.DataFrame({"description": ["hail dmg to roof", None]}))
    assert list(predicted.columns) == ["peril", "probability"] and predicted["peril"][0] == "hail"


def _trained(pipeline_params: dict[str, object] | None = None) -> PerilModel:
    frame = validate(peril_descriptions_frame(600, seed=4), PERIL, "test")
    model: PerilModel = train_peril(TrainingSet("synthetic", frame, "synthetic", "0" * 64, "test"), folds=2).model
    if pipeline_params:
        model.pipeline.set_params(**pipeline_params)
    return model


def test_the_compiled_form_scores_as_sklearn_does() -> None:
    model = _trained()
    assert model.compiled is not None
    texts = [normalise(str(t)) for t in peril_descriptions_frame(300, seed=11)["Description"]]
    texts += ["", "qqqq zzzz", "HAIL hail hail dmg", "a" * 2000]
    expected = model.pipeline.predict_proba(texts)
    assert np.abs(model.probabilities(texts) - expected).max() < 1e-12
    assert [p for p, _ in model.classify_many(texts)] == [
        model.perils[b] if t else "other" for t, b in zip(texts, expected.argmax(axis=1), strict=True)
    ]
    assert "compiled" not in pickle.loads(pickle.dumps(model)).__dict__  # remade and checked where it is loaded


def test_a_pipeline_of_another_shape_is_left_to_sklearn() -> None:
    model = _trained({"featureunion__tfidfvectorizer-1__norm": "l1"})
    assert model.compiled is None
    texts = ["hail dented the roof", "tree fell on the garage"]
    assert np.array_equal(model.probabilities(texts), model.pipeline.predict_proba(texts))


def test_a_compiled_form_that_disagrees_with_sklearn_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    model = _trained()
    right = compiled._compile(model.pipeline)
    assert right is not None
    broken = replace(right, intercepts=right.intercepts + 0.1)
    monkeypatch.setattr(compiled, "_compile", lambda pipeline: broken)
    assert compiled.compile_pipeline(model.pipeline) is None
