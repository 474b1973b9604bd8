"""Model registry access: the only module that imports mlflow at run time.

Models are logged as real MLflow pyfunc models (a thin PythonModel around our model object,
with a signature and an input example over the raw feature columns), registered by name and
addressed by alias (`champion`, `challenger`). Loading hands back our own object, named with
its registry version and alias, ready to `score` / `estimate` claim cases; a model bound to a
market (severity) is given the market its version's tags name (models.markets).

mlflow's fluent API keeps its store address in process-global state, so every call here
first points it at this registry's store.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import mlflow
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from mlflow.pyfunc import PythonModel
from mlflow.tracking import MlflowClient

from models.markets import MarketBound, market_of
from services.core.events import ModelRef

EXPERIMENT = "claims-triage"
# What a scoring environment needs besides this project itself (installed as claims-triage).
REQUIREMENTS = ("lightgbm", "pandas", "numpy", "scikit-learn", "pydantic")

ModelT = TypeVar("ModelT", bound="RegistrableModel")


class RegistrableModel(Protocol):
    """What the registry needs of a model: raw-feature predictions and a way to name it."""

    def predict_features(self, raw: pd.DataFrame) -> Any: ...

    def with_ref(self: ModelT, ref: ModelRef) -> ModelT: ...


@dataclass(frozen=True)
class VersionFacts:
    """A registered version as the registry keeps it: what governance and the model inventory read."""

    name: str
    version: str
    run_id: str | None
    tags: dict[str, str]
    aliases: list[str]
    created_at: datetime
    params: dict[str, str]
    metrics: dict[str, float]


class TriagePyfunc(PythonModel):
    """The MLflow face of a triage model: predicts from a frame of raw feature values."""

    def __init__(self, model: RegistrableModel) -> None:
        self.model = model

    def predict(self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> Any:
        return self.model.predict_features(model_input)


class ModelRegistry:
    """A local (or remote) MLflow tracking store and model registry."""

    def __init__(self, tracking_uri: str, artifact_root: Path) -> None:
        self.tracking_uri = tracking_uri
        self.artifact_root = Path(artifact_root)
        if tracking_uri.startswith("sqlite:///"):
            Path(tracking_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        _quieten_mlflow()
        self._client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)

    def log_and_register(
        self,
        name: str,
        model: RegistrableModel,
        params: Mapping[str, Any],
        metrics: Mapping[str, float],
        artifacts: Mapping[str, str],
        input_example: pd.DataFrame,
        dataset_hash: str,
        tags: Mapping[str, str] | None = None,
        figures: Mapping[str, Any] | None = None,
    ) -> str:
        """Log a training run (params, metrics, text artifacts, matplotlib figures, tags) with the model,
        register it; its version."""
        self._point_mlflow_here()
        run_tags = {"dataset_sha256": dataset_hash, "model_name": name, **(tags or {})}
        with mlflow.start_run(experiment_id=self._experiment_id(), run_name=f"train-{name}", tags=run_tags) as run:
            _log_contents(params, metrics, artifacts, figures or {})
            signature = infer_signature(input_example, model.predict_features(input_example))
            info = mlflow.pyfunc.log_model(
                name=name,
                python_model=TriagePyfunc(model),
                signature=signature,
                input_example=input_example,
                pip_requirements=list(REQUIREMENTS),
            )
        if not self._client.search_registered_models(filter_string=f"name = '{name}'"):
            self._client.create_registered_model(name)
        created = self._client.create_model_version(
            name, source=info.model_uri, run_id=run.info.run_id, tags=run_tags, model_id=info.model_id
        )
        return str(created.version)

    def log_run(
        self,
        run_name: str,
        params: Mapping[str, Any],
        metrics: Mapping[str, float],
        artifacts: Mapping[str, str],
        figures: Mapping[str, Any],
        tags: Mapping[str, str],
    ) -> str:
        """Log a run without a model (e.g. a benchmark): params, metrics, text artifacts, figures; its run id."""
        self._point_mlflow_here()
        with mlflow.start_run(experiment_id=self._experiment_id(), run_name=run_name, tags=dict(tags)) as run:
            _log_contents(params, metrics, artifacts, figures)
        return str(run.info.run_id)

    def version_tags(self, name: str, version: str) -> dict[str, str]:
        """The tags of a registered version (data set hash, hold-out hash, code version...)."""
        return dict(self._client.get_model_version(name, version).tags)

    def tag_version(self, name: str, version: str, tags: Mapping[str, str]) -> None:
        """Set tags on a registered version (e.g. who promoted it and why)."""
        for key, value in tags.items():
            self._client.set_model_version_tag(name, version, key, value)

    def version_facts(self, name: str, version: str) -> VersionFacts | None:
        """What the registry keeps of a version: its tags, aliases, creation time, and its training run's
        parameters and metrics; None if there is no such version."""
        try:
            found = self._client.get_model_version(name, version)
            data = self._client.get_run(found.run_id).data if found.run_id else None
        except MlflowException:
            return None
        return VersionFacts(
            name=name,
            version=version,
            run_id=found.run_id,
            tags=dict(found.tags),
            aliases=list(found.aliases),
            created_at=datetime.fromtimestamp(found.creation_timestamp / 1000, UTC),
            params=dict(data.params) if data else {},
            metrics=dict(data.metrics) if data else {},
        )

    def version_artifact(self, name: str, version: str, path: str) -> str | None:
        """A text artifact of the run that trained a version (e.g. drift_reference.json), or None if absent."""
        facts = self.version_facts(name, version)
        if facts is None or not facts.run_id:
            return None
        self._point_mlflow_here()
        try:
            return str(mlflow.artifacts.load_text(f"runs:/{facts.run_id}/{path}"))
        except (MlflowException, OSError):
            return None

    def set_alias(self, name: str, alias: str, version: str) -> None:
        """Point `name@alias` at `version`."""
        self._client.set_registered_model_alias(name, alias, version)

    def version_of(self, name: str, alias: str) -> str | None:
        """The version `name@alias` points at, or None if there is no such model or alias."""
        try:
            return str(self._client.get_model_version_by_alias(name, alias).version)
        except MlflowException:
            return None

    def has(self, name: str, alias: str) -> bool:
        """Whether `name@alias` exists."""
        return self.version_of(name, alias) is not None

    def load(self, name: str, alias: str) -> Any:
        """The model `name@alias` as our own object (FraudModel, SeverityModel, PerilModel), its ModelRef filled in."""
        version = self.version_of(name, alias)
        if version is None:
            raise LookupError(f"no model {name}@{alias} in {self.tracking_uri}; train one with `triage train`")
        return self.load_version(name, version, alias)

    def load_version(self, name: str, version: str, alias: str) -> Any:
        """Version `version` of `name` as our own object, named as `alias` (which the caller found pointing at it).

        A model bound to a market gets the one its version's tags name, or (registered before the tags) the one its
        data set is known to be; a version with neither keeps the market it was pickled with.
        """
        self._point_mlflow_here()
        pyfunc = mlflow.pyfunc.load_model(f"models:/{name}/{version}", suppress_warnings=True)
        model = pyfunc.unwrap_python_model().model
        arm = "challenger" if alias == "challenger" else "champion"
        model = model.with_ref(ModelRef(name=name, version=version, alias=alias, arm=arm))
        if isinstance(model, MarketBound):
            market = market_of(self.version_tags(name, version))
            model = model.with_market(market) if market is not None else model
        return model

    def _point_mlflow_here(self) -> None:
        mlflow.set_tracking_uri(self.tracking_uri)
        mlflow.set_registry_uri(self.tracking_uri)

    def _experiment_id(self) -> str:
        experiment = self._client.get_experiment_by_name(EXPERIMENT)
        if experiment is not None:
            return str(experiment.experiment_id)
        if self.tracking_uri.startswith(("http://", "https://")):
            return str(self._client.create_experiment(EXPERIMENT))  # a tracking server keeps (proxies) artifacts
        self.artifact_root.mkdir(parents=True, exist_ok=True)
        return str(self._client.create_experiment(EXPERIMENT, artifact_location=self.artifact_root.resolve().as_uri()))


def _log_contents(
    params: Mapping[str, Any], metrics: Mapping[str, float], artifacts: Mapping[str, str], figures: Mapping[str, Any]
) -> None:
    mlflow.log_params(dict(params))
    mlflow.log_metrics(dict(metrics))
    for filename, text in artifacts.items():
        mlflow.log_text(text, filename)
    for filename, figure in figures.items():
        mlflow.log_figure(figure, f"plots/{filename}")


class _KnownWarnings(logging.Filter):
    """Drops mlflow's warning that a python_model object is cloudpickled: we know, and the project is trusted."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "serialized using CloudPickle" not in record.getMessage()


def _quieten_mlflow() -> None:
    logging.getLogger("mlflow").setLevel(logging.WARNING)  # its INFO lines drown the training progress bar
    pyfunc_logger = logging.getLogger("mlflow.pyfunc")
    if not any(isinstance(f, _KnownWarnings) for f in pyfunc_logger.filters):
        pyfunc_logger.addFilter(_KnownWarnings())
