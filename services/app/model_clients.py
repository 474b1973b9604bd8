"""The models a scoring stage calls: over HTTP to the gateway when one is configured, else in process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.client.port import ModelClient
from services.core.settings import TriageSettings

if TYPE_CHECKING:
    from models.peril.reader import LivePerilReader


def model_client(settings: TriageSettings, name: str, alias: str) -> ModelClient:
    """The model-client port for stage `name`: over HTTP to the gateway when one is configured, else in process."""
    if settings.model_gateway_url:
        from models.client.http import GatewayClient

        return GatewayClient(
            settings.model_gateway_url,
            timeout_s=settings.model_gateway_timeout_s,
            retries=settings.model_gateway_retries,
        )
    from models.arms import SplitPolicy
    from models.client.inprocess import InProcessModels
    from models.live import LiveModels
    from models.registry import ModelRegistry  # mlflow is heavy: only stages that score load it

    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    live = LiveModels(registry, name, champion_alias=alias, reload_s=settings.model_reload_s)
    policy = SplitPolicy(settings.model_challenger_share, settings.model_shadow)
    return InProcessModels(policy=policy, **{name: live})


def peril_reader(settings: TriageSettings, alias: str) -> LivePerilReader:
    """The peril model the router reads causes of loss with, loaded once per process, following its alias."""
    from models.live import LiveModels
    from models.peril.reader import LivePerilReader
    from models.registry import ModelRegistry

    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    # No challenger arm for the peril: naming the champion twice loads one model.
    return LivePerilReader(
        LiveModels(registry, "peril", champion_alias=alias, challenger_alias=alias, reload_s=settings.model_reload_s)
    )
