"""Every stage as its own process on the real Kafka broker, or the whole pipeline as one: exact counts, a kill, a
poison message."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
import pytest

from benchmarks.kafka_tools import KafkaBenchBus
from benchmarks.local_cluster import LocalCluster, pipeline_spans
from claimgen.bundle import attach_documents
from claimgen.documents import loss_notice_pdf
from claimgen.fnol import generate_claims
from services.app.stages import names, order
from services.core import topics
from services.core.auth import Role, mint_token
from services.core.bus.kafka import KafkaBus
from services.core.bus.port import Message, Outgoing
from services.core.documents import DocumentStore
from services.core.events import ClaimCase, Route
from services.core.settings import TriageSettings
from services.core.store import ClaimStore

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
CLAIMS = 500


@pytest.fixture
def services(
    kafka_bootstrap: str, trained_models: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[LocalCluster]:
    """A process a stage; with the parameter `chained`, one process running them all (`intake --through router`)."""
    chained = getattr(request, "param", "stages") == "chained"
    env = {
        **os.environ,
        "TRIAGE_BUS": "kafka",
        "TRIAGE_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "TRIAGE_DATA_DIR": str(tmp_path),
        "TRIAGE_DOCUMENT_DIR": str(tmp_path / "documents"),
        "TRIAGE_MLFLOW_TRACKING_URI": f"sqlite:///{trained_models / 'mlflow' / 'mlflow.db'}",
        "TRIAGE_FRAUD_BATCH_SIZE": "20",
        "TRIAGE_OTEL_EXPORTER": "none",
        **{f"TRIAGE_{name.upper()}_METRICS_PORT": "0" for name in names()},
    }
    env["TRIAGE_INTAKE_METRICS_PORT" if chained else "TRIAGE_ROUTER_METRICS_PORT"] = str(free_port())
    KafkaBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap)).ensure_topics(topics.ALL)
    running = LocalCluster(env, tmp_path)
    running.start_spans(pipeline_spans(chained))
    yield running
    running.stop_all()


def read_topic(bootstrap: str, topic: str) -> Callable[[], list[Message]]:
    """A reader from the topic's end as it is now (a broker that served a day of runs holds millions of records);
    each call returns what arrived since the last."""
    tail = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=bootstrap)).tail([topic])
    return lambda: tail.poll(1000, 0.5)


def wait_for(condition: Callable[[], bool], what: str, services: LocalCluster, deadline_s: float = 300) -> None:
    end = time.monotonic() + deadline_s
    while not condition():
        assert not services.dead(), f"services exited: {services.dead()}; logs in {services.logs}"
        assert time.monotonic() < end, f"timed out waiting for {what}"


@pytest.mark.parametrize("services", ["stages", "chained"], indirect=True)
def test_every_claim_is_decided_exactly_once_across_a_kill(
    kafka_bootstrap: str, services: LocalCluster, tmp_path: Path
) -> None:
    tag = f"K{uuid.uuid4().hex[:6].upper()}"
    generated = generate_claims(CLAIMS, seed=5, now=datetime.now(UTC).replace(microsecond=0), id_prefix=tag)
    documents, rng = DocumentStore(tmp_path / "documents"), np.random.default_rng(5)
    fnols = []
    for i, claim in enumerate(generated):
        fnols.append(attach_documents(claim, documents.put, rng) if i % 10 == 0 else claim.fnol)
    poison = b'{"claim_id": "' + tag.encode() + b'-POISON", "line_of_business": "spaceship"}'
    records = [Outgoing(topics.FNOL_INBOUND, f.claim_id, f.model_dump_json().encode()) for f in fnols]
    records.insert(CLAIMS // 2, Outgoing(topics.FNOL_INBOUND, f"{tag}-POISON", poison))
    # the chain writes no topic between its stages: it is killed once a fifth of the claims are decided
    past_fraud = topics.DECIDED if services.through else topics.SCORED
    scored, decided, dead, settled = [
        read_topic(kafka_bootstrap, t)  # before publishing: they read from the end
        for t in (past_fraud, topics.DECIDED, topics.DLQ, topics.SETTLEMENT)
    ]
    publisher = KafkaBus(TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap)).publisher()
    publisher.publish(records)
    scored_ids: list[str] = []

    def fraud_is_mid_stream() -> bool:
        scored_ids.extend(_claim_ids(scored(), tag))
        return len(scored_ids) >= CLAIMS // 5

    wait_for(fraud_is_mid_stream, "a fifth of the claims to pass fraud", services)
    killed_at = datetime.now(UTC)
    services.restart("intake-0" if services.through else "fraud-0")  # the chain runs fraud

    decided_ids: list[str] = []
    after_kill: list[str] = []  # decided by a router started after the kill (the chain's, restarted)
    straight_through: list[str] = []
    dead_letters: list[Message] = []

    def read_decisions() -> None:
        for m in decided():
            if m.key and m.key.decode().startswith(tag):
                decided_ids.append(m.key.decode())
                case = ClaimCase.model_validate_json(m.value)
                if case.decision.route is Route.STRAIGHT_THROUGH:  # type: ignore[union-attr]
                    straight_through.append(m.key.decode())
                if case.trace[-1].started_at > killed_at:
                    after_kill.append(m.key.decode())

    def all_decided() -> bool:
        read_decisions()
        dead_letters.extend(m for m in dead() if m.key and m.key.decode().startswith(tag))
        return len(decided_ids) >= CLAIMS and len(dead_letters) >= 1

    wait_for(all_decided, f"{CLAIMS} decisions and the dead letter", services)
    settlement_ids: list[str] = []
    for _ in range(4):  # a doubled decision would be committed alongside the others: look a little longer
        read_decisions()
        settlement_ids.extend(_claim_ids(settled(), tag))
    assert len(decided_ids) == CLAIMS, "a claim was decided twice"
    assert set(decided_ids) == {f.claim_id for f in fnols}
    assert straight_through and sorted(settlement_ids) == sorted(straight_through), "settlements != decisions"
    [poisoned] = dead_letters
    assert poisoned.value == poison
    metrics_port = services.env["TRIAGE_INTAKE_METRICS_PORT" if services.through else "TRIAGE_ROUTER_METRICS_PORT"]
    routes = _metric_total(httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text, "triage_decisions_total")
    # the router counted every decision it committed (and any a previous run left); the chain's, since its restart
    assert routes >= (len(after_kill) if services.through else CLAIMS)
    assert dict(poisoned.headers)["dlq.stage"] == b"intake"
    assert b"line_of_business" in dict(poisoned.headers)["dlq.error"]


def _claim_ids(batch: list[Message], tag: str) -> list[str]:
    return [m.key.decode() for m in batch if m.key and m.key.decode().startswith(tag)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_fnol_posted_over_http_is_decided_and_its_case_has_every_section(
    services: LocalCluster, tmp_path: Path
) -> None:
    port, secret = free_port(), "integration-intake-secret-not-for-production-0123456789"
    services.start("intake-api", TRIAGE_INTAKE_PORT=str(port), TRIAGE_INTAKE_TOKEN_SECRET=secret)
    api = f"http://127.0.0.1:{port}"
    intake = {"Authorization": f"Bearer {mint_token('acme-fnol', [Role.INTAKE_SYSTEM], secret)}"}
    claim = generate_claims(1, seed=9, id_prefix=f"H{uuid.uuid4().hex[:6].upper()}")[0]
    notice = loss_notice_pdf(claim.fnol)
    wait_for(lambda: _answers(f"{api}/healthz"), "the intake API to listen", services, deadline_s=60)

    response = httpx.post(
        f"{api}/v1/fnol",
        headers=intake,
        files=[
            ("fnol", ("fnol.json", claim.fnol.model_dump_json().encode(), "application/json")),
            ("documents", ("loss_notice.pdf", notice, "application/pdf")),
        ],
    )
    assert response.status_code == 202, response.text
    status_url = api + response.json()["status_url"]
    wait_for(
        lambda: httpx.get(status_url, headers=intake).json()["status"] == "decided", "the claim to be decided", services
    )

    claim_status = httpx.get(status_url, headers=intake).json()
    assert [s["stage"] for s in claim_status["stages"]] == names()
    assert claim_status["route"] in {"straight_through", "adjuster"} and claim_status["decided_at"]
    assert "fnol" not in claim_status and claim.fnol.claimant.name not in json.dumps(claim_status)
    stored = TriageSettings(data_dir=tmp_path, database_url=services.env.get("TRIAGE_DATABASE_URL"))
    view = ClaimStore(stored.resolved_database_url(), order()).view(claim.fnol.claim_id)
    assert view is not None and view.case is not None
    case = view.case  # the adjuster API serves it, by role; here it is read from the store the stages wrote
    assert case.extraction is not None and case.extraction.documents[0].doc_type == "loss_notice"
    assert case.fraud is not None and 0 <= case.fraud.probability <= 1 and case.fraud.model.name == "fraud"
    assert case.decision is not None and case.decision.reasons

    repeat = httpx.post(f"{api}/v1/fnol", json=json.loads(claim.fnol.model_dump_json()), headers=intake)
    assert repeat.status_code == 409  # the accepted claim carries a document this repeat does not
    assert httpx.post(f"{api}/v1/fnol", json={}).status_code == 401  # no token, not looked at


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _metric_total(exposition: str, name: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in exposition.splitlines() if line.startswith(name + "{"))
