"""Registry round trip into a throwaway MLflow store: log, register, alias, load, score."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import mlflow
import numpy as np
import pytest

from claimgen.fnol import generate_claims
from models.fraud.features import fraud_features
from models.fraud.model import FraudModel
from models.markets import FREMTPL2, market_tags
from models.registry import ModelRegistry
from models.severity.features import severity_features
from models.severity.model import SeverityModel
from services.core.events import FNOL, ClaimCase, LineOfBusiness, Market, ModelRef
from tests.unit.models.conftest import in_france


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="module")
def registry(store: Path) -> ModelRegistry:
    """One store for the module (creating one costs seconds); each test registers under its own name."""
    return ModelRegistry(f"sqlite:///{store / 'mlflow' / 'mlflow.db'}", store / "artifacts")


def register(
    registry: ModelRegistry,
    name: str,
    model: FraudModel | SeverityModel,
    example: object,
    tags: dict[str, str] | None = None,
) -> str:
    return registry.log_and_register(
        name,
        model,
        params={"rounds": 80},
        metrics={"cv_score": 0.5},
        artifacts={"notes.txt": "test run"},
        input_example=example,
        dataset_hash="ab" * 32,
        tags={"data_source": "synthetic", **(tags or {})},
    )


def test_fraud_model_round_trip(
    registry: ModelRegistry, small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase], store: Path
) -> None:
    cases = [as_case(c.fnol) for c in generate_claims(5, seed=2)]
    example = small_fraud_model.spec.raw_frame([fraud_features(c.fnol) for c in cases])
    assert not registry.has("fraud", "champion")

    version = register(registry, "fraud", small_fraud_model, example)
    registry.set_alias("fraud", "champion", version)
    loaded = registry.load("fraud", "champion")

    assert registry.has("fraud", "champion") and version == "1"
    assert loaded.ref == ModelRef(name="fraud", version="1", alias="champion", arm="champion")
    assert [s.probability for s in loaded.score_many(cases)] == [
        s.probability for s in small_fraud_model.score_many(cases)
    ]
    assert loaded.score(cases[0]).model.version == "1"
    assert (store / "artifacts").is_dir()  # artifacts go where the settings say, not to ./mlruns

    mlflow.set_registry_uri(registry.tracking_uri)  # and it is a real MLflow model, usable without our code path
    served = mlflow.pyfunc.load_model("models:/fraud@champion")
    np.testing.assert_allclose(served.predict(example), small_fraud_model.predict_features(example))


def test_a_new_version_becomes_challenger_and_loads_as_such(
    registry: ModelRegistry, small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    example = small_fraud_model.spec.raw_frame([fraud_features(as_case(c.fnol).fnol) for c in generate_claims(3)])
    registry.set_alias("fraud-b", "champion", register(registry, "fraud-b", small_fraud_model, example))
    registry.set_alias("fraud-b", "challenger", register(registry, "fraud-b", small_fraud_model, example))
    assert registry.load("fraud-b", "champion").ref.version == "1"
    assert registry.load("fraud-b", "challenger").ref == ModelRef(
        name="fraud-b", version="2", alias="challenger", arm="challenger"
    )


def test_severity_model_round_trip(
    registry: ModelRegistry, small_severity_model: SeverityModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    cases = [as_case(in_france(c.fnol)) for c in generate_claims(5, seed=2)]
    example = small_severity_model.spec.raw_frame([severity_features(c.fnol) for c in cases])
    registry.set_alias("severity", "champion", register(registry, "severity", small_severity_model, example))
    loaded = registry.load("severity", "champion")
    assert loaded.market == FREMTPL2  # no market tags, no known data set: the market it was trained with
    assert loaded.estimate_many(cases) == [
        e.model_copy(update={"model": e.model and loaded.ref}) for e in small_severity_model.estimate_many(cases)
    ]


def test_a_severity_version_has_the_market_its_tags_name_or_its_data_set_is_known_to_be(
    registry: ModelRegistry, small_severity_model: SeverityModel
) -> None:
    example = small_severity_model.spec.raw_frame([severity_features(c.fnol) for c in generate_claims(3, seed=2)])
    us = Market(line_of_business=LineOfBusiness.MOTOR, country="US", currency="USD")
    tagged = register(registry, "severity-m", small_severity_model, example, tags=market_tags(us))
    registry.set_alias("severity-m", "champion", tagged)
    assert registry.load("severity-m", "champion").market == us
    untagged = register(
        registry, "severity-m", small_severity_model.with_market(us), example, tags={"dataset": "fremtpl2_sev"}
    )  # registered before training tagged markets
    registry.set_alias("severity-m", "champion", untagged)
    assert registry.load("severity-m", "champion").market == FREMTPL2


def test_loading_what_is_not_there_says_so(registry: ModelRegistry) -> None:
    with pytest.raises(LookupError, match="no model nothing@champion"):
        registry.load("nothing", "champion")
    assert not registry.has("nothing", "champion")
