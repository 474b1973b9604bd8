"""The front door: every intake endpoint wants an intake system's token, the claim status shows no personal data,
and short token secrets stop the API (and the adjuster API) at start."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from claimgen.fnol import GeneratedClaim
from services.app.cli import app as cli
from services.app.stages import order
from services.core.auth import Role, mint_token
from services.core.events import ClaimCase, Route, RoutingDecision
from services.core.settings import MIN_SECRET_BYTES, AdjusterSettings, IntakeApiSettings
from services.core.store import ClaimStore
from tests.unit.services.intake.apps import SECRET, intake_token

OPEN = {"/healthz", "/docs", "/redoc", "/docs/oauth2-redirect", "/openapi.json"}


def intake_endpoints(app: FastAPI) -> list[APIRoute]:
    return [r for r in app.routes if isinstance(r, APIRoute) and r.path not in OPEN]


def test_every_intake_endpoint_refuses_a_request_without_a_token(app: FastAPI) -> None:
    anonymous = TestClient(app)
    endpoints = intake_endpoints(app)
    assert {r.path for r in endpoints} == {"/v1/fnol", "/v1/claims/{claim_id}"}
    for route in endpoints:
        for method in route.methods:
            response = anonymous.request(method, route.path.replace("{claim_id}", "CLM-1"))
            assert response.status_code == 401, route.path
            assert response.headers["www-authenticate"] == "Bearer"
            assert "intake_system" in response.json()["detail"]  # says what to send
    assert anonymous.get("/healthz").status_code == 200  # load balancers probe it


@pytest.mark.parametrize(
    ("headers", "status", "says"),
    [
        (intake_token(Role.ADJUSTER, Role.SUPERVISOR), 403, "lacks the intake_system role"),
        ({"Authorization": f"Bearer {mint_token('x', [Role.INTAKE_SYSTEM], 'another-secret-' * 3)}"}, 401, "invalid"),
        (
            {"Authorization": f"Bearer {mint_token('x', [Role.INTAKE_SYSTEM], SECRET, lifetime=timedelta(0))}"},
            401,
            "expired",
        ),
        ({"Authorization": "Basic YWNtZTpwYXNz"}, 401, "bearer token is required"),
    ],
    ids=["adjuster roles", "signed with another key", "expired", "basic auth"],
)
def test_a_token_without_the_role_or_not_ours_is_refused(
    app: FastAPI, sample_claims: list[GeneratedClaim], headers: dict[str, str], status: int, says: str
) -> None:
    response = TestClient(app).post(
        "/v1/fnol", json=json.loads(sample_claims[0].fnol.model_dump_json()), headers=headers
    )
    assert response.status_code == status
    assert says in response.json()["detail"].lower()


def test_openapi_offers_the_bearer_scheme_on_the_intake_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/v1/fnol"]["post"]["security"] == [{"HTTPBearer": []}]


def decided(case: ClaimCase) -> ClaimCase:
    decision = RoutingDecision(
        route=Route.ADJUSTER,
        desk="injury",
        priority=2,
        reasons=["an injury"],
        policy_version="test",
        decided_at=case.accepted_at + timedelta(seconds=3),
    )
    return case.model_copy(update={"decision": decision})


def test_the_claim_status_answers_route_desk_and_decision_time_but_no_personal_data(
    client: TestClient, tmp_path: Path, sample_claims: list[GeneratedClaim]
) -> None:
    fnol = sample_claims[0].fnol
    assert client.post("/v1/fnol", json=json.loads(fnol.model_dump_json())).status_code == 202
    store = ClaimStore(f"sqlite:///{tmp_path / 'claims.db'}", order())  # the app's store, as the stages write it
    at = fnol.loss.reported_at
    case = ClaimCase(event_id=uuid.uuid4(), claim_id=fnol.claim_id, occurred_at=at, accepted_at=at, fnol=fnol)
    store.record_stage("intake", [case])
    store.record_stage("router", [decided(case)])

    answer = client.get(f"/v1/claims/{fnol.claim_id}")
    assert answer.status_code == 200
    status = answer.json()
    assert set(status) == {"claim_id", "status", "route", "desk", "decided_at", "stages"}
    assert (status["status"], status["route"], status["desk"]) == ("decided", "adjuster", "injury")
    assert datetime.fromisoformat(status["decided_at"]) == at + timedelta(seconds=3)
    assert [s["stage"] for s in status["stages"]] == ["intake", "router"]
    claimant = fnol.claimant
    personal = [claimant.name, claimant.email, str(claimant.date_of_birth), claimant.phone, fnol.policy.policy_number]
    assert not [value for value in personal if value and value in answer.text]


def test_a_claim_not_yet_decided_has_no_route(client: TestClient, sample_claims: list[GeneratedClaim]) -> None:
    claim = sample_claims[1].fnol
    client.post("/v1/fnol", json=json.loads(claim.model_dump_json()))
    status = client.get(f"/v1/claims/{claim.claim_id}").json()
    assert status == {
        "claim_id": claim.claim_id,
        "status": "received",
        "route": None,
        "desk": None,
        "decided_at": None,
        "stages": [],
    }


@pytest.mark.parametrize(
    ("settings", "variable"),
    [(IntakeApiSettings, "TRIAGE_INTAKE_TOKEN_SECRET"), (AdjusterSettings, "TRIAGE_ADJUSTER_TOKEN_SECRET")],
)
def test_a_token_secret_shorter_than_32_bytes_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, settings: type[IntakeApiSettings | AdjusterSettings], variable: str
) -> None:
    short = "s" * (MIN_SECRET_BYTES - 1)
    monkeypatch.setenv(variable, short)
    with pytest.raises(ValidationError) as refused:
        settings()
    message = str(refused.value)
    assert variable in message and f"{MIN_SECRET_BYTES} bytes" in message
    assert short not in message  # a refused secret may still be the real one: it is not repeated
    monkeypatch.setenv(variable, "é" * (MIN_SECRET_BYTES // 2))  # 32 bytes in UTF-8: long enough
    assert settings().token_secret is not None


def test_the_intake_api_needs_a_token_secret_or_mutual_tls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("TOKEN_SECRET", "TLS_CERTFILE", "TLS_KEYFILE", "TLS_CLIENT_CAFILE"):
        monkeypatch.delenv(f"TRIAGE_INTAKE_{name}", raising=False)
    with pytest.raises(ValidationError, match="TRIAGE_INTAKE_TOKEN_SECRET.*TRIAGE_INTAKE_TLS_CLIENT_CAFILE"):
        IntakeApiSettings()
    with pytest.raises(ValidationError, match="needs the API's own certificate"):
        IntakeApiSettings(tls_client_cafile=tmp_path / "ca.pem")
    with pytest.raises(ValidationError, match="go together"):
        IntakeApiSettings(token_secret=SECRET, tls_certfile=tmp_path / "cert.pem")


def test_triage_token_mints_an_intake_systems_token_with_the_intake_key(
    monkeypatch: pytest.MonkeyPatch, app: FastAPI, sample_claims: list[GeneratedClaim]
) -> None:
    monkeypatch.setenv("TRIAGE_INTAKE_TOKEN_SECRET", SECRET)
    minted = CliRunner().invoke(cli, ["token", "acme-fnol", "--role", "intake_system"])
    assert minted.exit_code == 0, minted.output
    headers = {"Authorization": f"Bearer {minted.output.strip()}"}
    body = json.loads(sample_claims[0].fnol.model_dump_json())
    assert TestClient(app).post("/v1/fnol", json=body, headers=headers).status_code == 202
    mixed = CliRunner().invoke(cli, ["token", "acme-fnol", "--role", "intake_system", "--role", "adjuster"])
    assert mixed.exit_code == 2 and "mint it alone" in mixed.output
