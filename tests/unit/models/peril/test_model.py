"""The peril model reads a loss description and names its peril, with a probability."""

from __future__ import annotations

import pandas as pd

from claimgen.datasets import peril_descriptions_frame
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
