"""The HTTP adapter's retries (a hand-written transport plays the gateway; the real one: tests/unit/services/gateway)"""

from __future__ import annotations

import json

import httpx
import pytest

from models.client.http import GatewayClient, GatewayError
from services.app.model_clients import model_client
from services.core.runner import Transient
from services.core.settings import TriageSettings
from services.gateway.process import free_port

SCORE = {
    "probability": 0.2,
    "model": {"name": "fraud", "version": "3", "alias": "champion", "arm": "champion"},
    "reasons": [],
    "shadow": None,
}


class Gateway:
    """Answers each request with the next status in `statuses` (a score list on 200), counting requests."""

    def __init__(self, *statuses: int) -> None:
        self.statuses, self.requests, self.claims = list(statuses), 0, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        status = self.statuses.pop(0)
        claims = json.loads(request.content)["claims"]
        self.claims += claims
        return httpx.Response(status, json=[SCORE] * len(claims) if status == 200 else {"error": "busy"})


def client(gateway: Gateway, retries: int = 2) -> GatewayClient:
    return GatewayClient("http://gateway", retries=retries, transport=httpx.MockTransport(gateway))


def test_quick_retries_ride_out_a_short_outage() -> None:
    gateway = Gateway(503, 503, 200)
    scores = client(gateway).score_fraud_rows(["A", "B"], [{"make": "Honda"}, {"make": "Ford"}])
    assert [s.model.version for s in scores] == ["3", "3"] and gateway.requests == 3


def test_a_longer_outage_is_transient_so_the_runner_backs_off_and_retries_the_batch() -> None:
    gateway = Gateway(503, 502, 503)
    with pytest.raises(Transient, match="unavailable: 503"):
        client(gateway).score_fraud_rows(["A"], [{}])
    assert gateway.requests == 3


def test_a_refused_connection_is_transient() -> None:
    with pytest.raises(Transient, match="ConnectError"):
        GatewayClient(f"http://127.0.0.1:{free_port()}", retries=1).score_fraud_rows(["A"], [{}])


def test_a_refused_request_is_not_retried() -> None:
    gateway = Gateway(422)
    with pytest.raises(GatewayError, match="422"):
        client(gateway).score_fraud_rows(["A"], [{}])
    assert gateway.requests == 1


def test_the_stages_use_the_gateway_when_it_is_configured() -> None:
    settings = TriageSettings(model_gateway_url="http://gateway:3000", model_gateway_retries=5)
    chosen = model_client(settings, "fraud", "champion")
    assert isinstance(chosen, GatewayClient) and chosen.retries == 5
    assert str(chosen.http.base_url) == "http://gateway:3000"


def test_probabilities_only_is_asked_of_each_claim_and_reasons_are_the_default() -> None:
    gateway = Gateway(200, 200)
    client(gateway).score_fraud_rows(["A", "B"], [{"make": "Honda"}, {"make": "Ford"}], reasons=False)
    client(gateway).score_fraud_rows(["C"], [{"make": "Fiat"}])
    assert [c.get("reasons") for c in gateway.claims] == [False, False, None]  # the gateway's default: explain
