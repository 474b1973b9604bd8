"""The gateway over real HTTP: scores like the models, A/B and shadow, 422s naming features, atomic alias switches."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import pytest
from pydantic import TypeAdapter

from models.arms import Arm, ArmedModels, SplitPolicy, arm_for, split
from models.client.http import GatewayClient, GatewayError
from models.fraud.features import fraud_features
from models.fraud.model import FraudModel
from models.registry import ModelRegistry
from models.severity.model import SeverityModel
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing
from services.core.events import ClaimCase, FraudScore, LineOfBusiness, ModelRef
from services.core.runner import Runner, Stage
from services.fraud.handler import score_fraud, score_fraud_batch
from services.gateway.process import GatewayProcess, free_port


def fraud_body(cases: list[ClaimCase]) -> dict:
    return {"claims": [{"claim_id": c.claim_id, "features": fraud_features(c.fnol)} for c in cases]}


def test_ready_and_lists_what_it_serves(gateway: GatewayProcess) -> None:
    assert httpx.get(f"{gateway.url}/readyz").status_code == 200
    assert httpx.get(f"{gateway.url}/healthz").status_code == 200
    assert "bentoml_service_request" in httpx.get(f"{gateway.url}/metrics").text
    served = httpx.get(f"{gateway.url}/v1/models").json()
    assert served["ready"] and served["challenger_share"] == 0.3 and served["shadow"] is True
    assert served["models"]["fraud"] == {
        "champion": {"alias": "champion", "version": "1"},
        "challenger": {"alias": "challenger", "version": "2"},
    }
    assert served["models"]["severity"]["champion"] == {"alias": "champion", "version": "1"}


def test_single_and_batch_scores_are_the_models_own(
    gateway: GatewayProcess, cases: list[ClaimCase], small_fraud_model: FraudModel
) -> None:
    expected = small_fraud_model.score_many(cases)
    single = httpx.post(f"{gateway.url}/v1/fraud", json=fraud_body(cases[:1])).json()
    batch = httpx.post(f"{gateway.url}/v1/fraud", json=fraud_body(cases)).json()
    assert len(single) == 1 and len(batch) == len(cases)
    assert single[0]["probability"] == pytest.approx(expected[0].probability)
    for case, got, want in zip(cases, batch, expected, strict=True):
        arm = arm_for(case.claim_id, 0.3)
        assert got["probability"] == pytest.approx(want.probability)
        assert [r["code"] for r in got["reasons"]] == [r.code for r in want.reasons]
        assert got["model"] == {
            "name": "fraud",
            "version": "2" if arm == "challenger" else "1",
            "alias": arm,
            "arm": arm,
        }
        assert got["shadow"]["model"]["arm"] != arm  # the other arm scored it too
    assert {g["model"]["arm"] for g in batch} == {"champion", "challenger"}


def test_claims_that_ask_for_probabilities_only_get_the_same_probabilities_and_no_reasons(
    gateway: GatewayProcess, cases: list[ClaimCase]
) -> None:
    explained = httpx.post(f"{gateway.url}/v1/fraud", json=fraud_body(cases)).json()
    body = fraud_body(cases)
    for i, claim in enumerate(body["claims"]):
        claim["reasons"] = i % 2 == 0
    mixed = httpx.post(f"{gateway.url}/v1/fraud", json=body).json()
    for i, (got, full) in enumerate(zip(mixed, explained, strict=True)):
        assert got["probability"] == full["probability"]
        assert got["reasons"] == (full["reasons"] if i % 2 == 0 else [])
        assert got["shadow"]["probability"] == full["shadow"]["probability"]
    assert any(full["reasons"] for full in explained[1::2])  # the ones left out had reasons to leave out
    assert (
        httpx.post(f"{gateway.url}/v1/fraud", json={"claims": [{**body["claims"][0], "reasons": "no"}]}).status_code
        == 422
    )


def test_the_answer_is_exactly_what_the_models_give_in_process(
    gateway: GatewayProcess, cases: list[ClaimCase], small_fraud_model: FraudModel
) -> None:
    def registered(version: str, arm: Arm) -> FraudModel:
        return small_fraud_model.with_ref(ModelRef(name="fraud", version=version, alias=arm, arm=arm))

    rows = [fraud_features(c.fnol) for c in cases]
    asked = [i % 3 != 0 for i in range(len(cases))]
    want = split(
        [c.claim_id for c in cases],
        rows,
        ArmedModels(registered("1", "champion"), registered("2", "challenger")),
        lambda model, some: model.score_rows(some, reasons=asked),
        SplitPolicy(0.3, shadow=True),
    )
    claims = [
        {"claim_id": c.claim_id, "features": row, "reasons": a} for c, row, a in zip(cases, rows, asked, strict=True)
    ]
    response = httpx.post(f"{gateway.url}/v1/fraud", json={"claims": claims})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert TypeAdapter(list[FraudScore]).validate_json(response.content) == want  # reasons, shadows, arms and all


def test_the_client_gets_what_the_in_process_models_give(
    gateway: GatewayProcess, cases: list[ClaimCase], small_severity_model: SeverityModel
) -> None:
    client = GatewayClient(gateway.url)
    scores = client.score_many(cases)
    estimates = client.estimate_many(cases)
    assert [s.model.arm for s in scores] == [arm_for(c.claim_id, 0.3) for c in cases]
    for case, got, want in zip(cases, estimates, small_severity_model.estimate_many(cases), strict=True):
        assert (got.expected_cost, got.upper_quantile, got.currency, got.market) == (
            want.expected_cost,
            want.upper_quantile,
            want.currency,
            want.market,
        )
        assert (got.model is None) == (
            case.fnol.line_of_business is not LineOfBusiness.MOTOR or case.fnol.policy.currency != "EUR"
        )
    assert {e.note for e in estimates if e.model is None and e.note and "is trained on" in e.note} == {
        "severity model severity@champion (version 1) is trained on motor claims in FR, in EUR; "
        "this claim is from US in USD"
    }  # the gateway's estimates name their market; the client holds them to it
    assert client.loaded()["models"]["severity"]["challenger"] is None


def test_bad_input_is_a_422_naming_each_bad_feature(gateway: GatewayProcess, cases: list[ClaimCase]) -> None:
    good = fraud_features(cases[0].fnol)
    bad = {**good, "claimant_age": float("nan"), "deductible": "400", "vehicle_age": "ancient", "colour": "red"}
    del bad["make"]
    body = {"claims": [{"claim_id": "A", "features": good}, {"claim_id": "B", "features": bad}]}
    response = httpx.post(
        f"{gateway.url}/v1/fraud",
        content=json.dumps(body),  # NaN as JSON allows it
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    named = {(e["loc"][1], e["loc"][-1]): e["msg"] for e in response.json()["detail"]}
    assert set(named) == {(1, "claimant_age"), (1, "deductible"), (1, "vehicle_age"), (1, "colour"), (1, "make")}
    assert named[(1, "claimant_age")] == "Input should be a finite number"
    assert named[(1, "make")] == "Field required"
    with pytest.raises(GatewayError, match="422"):  # the client does not retry what can never succeed
        GatewayClient(gateway.url).score_fraud_rows(["B"], [{**good, "deductible": "400"}])


def test_moving_an_alias_switches_under_load_without_a_failed_request(
    gateway: GatewayProcess, registry: ModelRegistry, cases: list[ClaimCase]
) -> None:
    seen: Counter[str] = Counter()
    failures: list[str] = []
    stop = threading.Event()
    champions = [c for c in cases if arm_for(c.claim_id, 0.3) == "champion"]
    body = fraud_body(champions[:1])  # a claim the champion decides, so its version shows the alias

    def load() -> None:
        with httpx.Client(base_url=gateway.url, timeout=10) as http:
            while not stop.is_set():
                try:
                    response = http.post("/v1/fraud", json=body)
                    if response.status_code != 200:
                        failures.append(f"{response.status_code} {response.text[:200]}")
                    else:
                        seen[response.json()[0]["model"]["version"]] += 1
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))

    def wait_for_version(version: str) -> None:
        deadline, before = time.monotonic() + 60, seen[version]
        while seen[version] < before + 20 and time.monotonic() < deadline:
            time.sleep(0.05)  # polling what the load threads observed
        assert seen[version] >= before + 20, f"v{version} never served: {seen}"

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_for_version("1")
        registry.set_alias("fraud", "champion", "2")  # release
        wait_for_version("2")
        registry.set_alias("fraud", "champion", "1")  # rollback
        wait_for_version("1")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        registry.set_alias("fraud", "champion", "1")
    assert failures == []
    assert httpx.get(f"{gateway.url}/v1/models").json()["models"]["fraud"]["champion"]["version"] == "1"


def test_a_gateway_outage_delays_claims_and_drops_none(
    gateway_env: dict[str, str], registry_dir: Path, cases: list[ClaimCase]
) -> None:
    port = free_port()
    client = GatewayClient(f"http://127.0.0.1:{port}", timeout_s=2, retries=1)
    stage = Stage(
        "fraud",
        topics.EXTRACTED,
        topics.SCORED,
        ClaimCase,
        partial(score_fraud, scorer=client),
        handle_batch=partial(score_fraud_batch, scorer=client),
    )
    bus = MemoryBus()
    bus.publisher().publish([Outgoing(topics.EXTRACTED, c.claim_id, c.model_dump_json().encode()) for c in cases])
    runner = Runner(stage, bus.stage_link("fraud", [topics.EXTRACTED]), batch_size=25, poll_timeout_s=0.05)
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    gateway = GatewayProcess(gateway_env, registry_dir / "gateway-outage.log", port=port)
    try:
        until(lambda: runner.stats.retries >= 2, "the stage never retried")
        assert bus.messages(topics.SCORED) == [] and bus.messages(topics.DLQ) == []  # waiting, nothing lost
        gateway.start()
        until(
            lambda: len(bus.messages(topics.SCORED)) >= len(cases),
            "claims were not scored after the outage",
            timeout_s=120,
        )
    finally:
        stop.set()
        thread.join()
        gateway.stop()
    scored = [ClaimCase.model_validate_json(m.value) for m in bus.messages(topics.SCORED)]
    assert sorted(c.claim_id for c in scored) == sorted(c.claim_id for c in cases)  # each once, none dropped
    assert all(c.fraud is not None and c.fraud.model.name == "fraud" for c in scored)
    assert bus.messages(topics.DLQ) == []


def until(condition: Callable[[], bool], failure: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)  # polling another thread's progress
