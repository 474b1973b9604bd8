"""Schemathesis against the model gateway's own OpenAPI document (a real BentoML process): never a 5xx."""

from __future__ import annotations

from benchmarks.hostile import probe_api
from services.gateway.process import GatewayProcess


def test_no_generated_request_makes_the_gateway_fail(gateway: GatewayProcess) -> None:
    import schemathesis

    report = probe_api("gateway", schemathesis.openapi.from_url(f"{gateway.url}/docs.json"), examples=40)
    assert report.cases > 40  # every operation was exercised
    assert report.server_errors == 0, report.examples  # found once: an empty area type failed the reason text
