"""The model gateway: a BentoML service that scores claims with the registered fraud and severity models.

`POST /v1/fraud` and `POST /v1/severity` take `{"claims": [{"claim_id", "features"}, ...]}` (one claim
or many) and answer one score per claim, in order: the probability and reason codes (or the expected
cost and upper quantile), the model name, version, alias and A/B arm, and the other arm's as `shadow`.
A fraud claim with `"reasons": false` gets its probability only: explaining a score costs far more than
scoring it. Concurrent requests are merged by BentoML's adaptive batching into one model call; the switch
is on each claim, not on the request, because a merged batch mixes requests. `GET /v1/models`
lists what is loaded; BentoML serves `/healthz`, `/livez` and `/readyz` (ready once both models are).

Run it with `triage run gateway` (or `bentoml serve services.gateway.service:Gateway`). BentoML reads a
service's worker count when this module is imported, so TRIAGE_GATEWAY_WORKERS is read here, once.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

import bentoml
from bentoml.exceptions import BentoMLException
from fastapi import FastAPI
from pydantic import Field, TypeAdapter
from starlette.responses import Response

from models.client.wire import FraudClaim, SeverityClaim
from services.core.events import FraudScore, SeverityEstimate
from services.core.settings import FraudSettings, GatewaySettings, SeveritySettings, TriageSettings
from services.gateway.served import NotReady, ServedModels
from services.gateway.unprocessable import UnprocessableEntity

MAX_CLAIMS = 1000  # per request; BentoML's batches take up to BATCH claims from however many requests
BATCH = 256
MAX_WAIT_MS = 10_000  # a request queued longer is answered 503, which the model client retries

info = FastAPI(title="model gateway: what is loaded")


class ModelsNotReady(BentoMLException):
    error_code = HTTPStatus.SERVICE_UNAVAILABLE


# mypy takes bentoml.service for the _bentoml_sdk.service package, not the function that package exports
@bentoml.service(  # type: ignore[operator]
    name="model-gateway",
    workers=GatewaySettings().workers,
    threads=1,  # one scoring thread per worker: LightGBM is CPU-bound and batches are what scale
    traffic={"timeout": 30},
    logging={"access": {"enabled": False}},
)
@bentoml.asgi_app(info, path="/")
class Gateway:
    """fraud and severity by alias from the MLflow registry, with the A/B split and shadow scoring."""

    def __init__(self) -> None:
        from models.arms import SplitPolicy
        from models.registry import ModelRegistry

        settings = TriageSettings()
        registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
        aliases = {"fraud": FraudSettings().model_alias, "severity": SeveritySettings().model_alias}
        self.models = ServedModels(
            registry,
            SplitPolicy(settings.model_challenger_share, settings.model_shadow),
            aliases=aliases,
            reload_s=settings.model_reload_s,
            explain_threads=GatewaySettings().resolved_explain_threads(),
        )
        self.models.start()

    def __is_ready__(self) -> bool:
        return self.models.ready

    @bentoml.on_shutdown
    def close(self) -> None:
        self.models.close()

    @bentoml.api(route="/v1/fraud", batchable=True, max_batch_size=BATCH, max_latency_ms=MAX_WAIT_MS)
    def fraud(
        self, claims: Annotated[list[FraudClaim], Field(min_length=1, max_length=MAX_CLAIMS)]
    ) -> list[FraudScore]:
        """Fraud probability and reasons (unless the claim says `"reasons": false`) for each claim, by its A/B arm."""
        try:
            return self.models.score_fraud(claims)
        except NotReady as exc:
            raise ModelsNotReady(str(exc)) from exc

    @bentoml.api(route="/v1/severity", batchable=True, max_batch_size=BATCH, max_latency_ms=MAX_WAIT_MS)
    def severity(
        self, claims: Annotated[list[SeverityClaim], Field(min_length=1, max_length=MAX_CLAIMS)]
    ) -> list[SeverityEstimate]:
        """Expected cost and upper quantile for each motor claim, by its A/B arm (the other arm's as shadow)."""
        try:
            return self.models.estimate_severity(claims)
        except NotReady as exc:
            raise ModelsNotReady(str(exc)) from exc

    @info.get("/v1/models")
    def loaded(self) -> dict[str, Any]:
        """Each model's champion and challenger (version and alias), the split, and whether all are loaded."""
        return self.models.describe()


def _answers_in_one_pass(spec: Any, answer: TypeAdapter[Any]) -> Any:
    """BentoML's answer model of a route, its JSON written by pydantic-core straight from the scores.

    BentoML's own way dumps the answer to Python objects twice and then through the json module.
    """

    async def to_http_response(cls: Any, obj: Any, serde: Any) -> Response:
        return Response(content=answer.dump_json(obj), media_type="application/json")

    return type(spec.__name__, (spec,), {"__module__": __name__, "to_http_response": classmethod(to_http_response)})


_service: Any = Gateway  # the decorator made the class a bentoml Service
for _api, _answer in (
    (_service.apis["fraud"], TypeAdapter(list[FraudScore])),
    (_service.apis["severity"], TypeAdapter(list[SeverityEstimate])),
):
    # Naming the media type spares BentoML deriving it from a JSON Schema on every response.
    _api.output_spec.media_type = "application/json"
    _api.output_spec = _answers_in_one_pass(_api.output_spec, _answer)
_service.add_asgi_middleware(UnprocessableEntity, paths=("/v1/fraud", "/v1/severity"))
