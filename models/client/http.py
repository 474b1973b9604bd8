"""The HTTP adapter of the model-client port: the fraud and severity stages ask the model gateway.

Used when TRIAGE_MODEL_GATEWAY_URL is set (Kafka deployments). A failed request (no connection, a
timeout, a 5xx such as the gateway's 503 while its models load) is retried `retries` times at once,
then raised as the runner's `Transient`: the runner rewinds the batch and retries it with back-off,
so a gateway outage delays claims and never drops one. A 4xx is a bug in what we sent, not an outage:
it is raised as is, and the runner sends the batch's records one by one (and a bad one to the DLQ).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter

from models.client.port import ModelClient
from models.features import FeatureRow
from services.core.events import FraudScore, SeverityEstimate
from services.core.runner import Transient

log = logging.getLogger(__name__)
T = TypeVar("T")
FRAUD_SCORES = TypeAdapter(list[FraudScore])
SEVERITY_ESTIMATES = TypeAdapter(list[SeverityEstimate])


class GatewayError(Exception):
    """The gateway refused a request (4xx): retrying the same request cannot help."""


class GatewayClient(ModelClient):
    """Scores through the model gateway over HTTP; the gateway does the A/B split and shadow scoring."""

    def __init__(
        self, url: str, *, timeout_s: float = 5.0, retries: int = 2, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.retries = retries
        self.http = httpx.Client(base_url=url.rstrip("/"), timeout=timeout_s, transport=transport)

    def score_fraud_rows(
        self, claim_ids: Sequence[str], rows: Sequence[FeatureRow], *, reasons: bool = True
    ) -> list[FraudScore]:
        # the gateway explains a claim unless the claim says otherwise: the default is not sent
        switch = {} if reasons else {"reasons": False}
        return self._post("/v1/fraud", claim_ids, rows, FRAUD_SCORES, switch)

    def estimate_severity_rows(self, claim_ids: Sequence[str], rows: Sequence[FeatureRow]) -> list[SeverityEstimate]:
        return self._post("/v1/severity", claim_ids, rows, SEVERITY_ESTIMATES)

    def loaded(self) -> dict[str, Any]:
        return dict(self._send("GET", "/v1/models").json())

    def close(self) -> None:
        self.http.close()

    def _post(
        self,
        path: str,
        claim_ids: Sequence[str],
        rows: Sequence[FeatureRow],
        answer: TypeAdapter[list[T]],
        switch: dict[str, bool] | None = None,
    ) -> list[T]:
        claims = [{"claim_id": c, "features": dict(r), **(switch or {})} for c, r in zip(claim_ids, rows, strict=True)]
        body = {"claims": claims}
        scores = answer.validate_json(self._send("POST", path, json=body).content)
        if len(scores) != len(claim_ids):
            raise Transient(f"gateway {path} answered {len(scores)} scores for {len(claim_ids)} claims")
        return scores

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The gateway's answer, after up to `retries` quick retries; Transient when it stays unavailable."""
        problem = ""
        for attempt in range(self.retries + 1):
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TransportError as exc:  # refused, reset, timed out
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code < 500:
                    raise GatewayError(f"gateway {path}: {response.status_code} {response.text[:2000]}")
                problem = f"{response.status_code} {response.text[:300]}"
            log.warning(
                "model gateway %s%s failed (attempt %d of %d): %s",
                self.http.base_url,
                path,
                attempt + 1,
                self.retries + 1,
                problem,
            )
        raise Transient(f"model gateway {self.http.base_url}{path} unavailable: {problem}")
