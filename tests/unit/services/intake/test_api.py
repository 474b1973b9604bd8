"""The intake API: 422 naming fields, idempotent repeats, 409 on conflict, documents stored by digest."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from claimgen.fnol import GeneratedClaim
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing, TransientBusError
from services.core.documents import DocumentStore
from services.core.events import FNOL
from tests.unit.services.core.publishers import HeldByTheBroker
from tests.unit.services.intake.apps import intake_app, intake_token


def body(claim: GeneratedClaim) -> dict:  # type: ignore[type-arg]
    return json.loads(claim.fnol.model_dump_json())


def test_valid_fnol_is_accepted_and_published(
    client: TestClient, bus: MemoryBus, sample_claims: list[GeneratedClaim]
) -> None:
    response = client.post("/v1/fnol", json=body(sample_claims[0]))
    assert response.status_code == 202
    assert response.json()["status_url"] == f"/v1/claims/{sample_claims[0].fnol.claim_id}"
    [msg] = bus.messages(topics.FNOL_INBOUND)
    assert FNOL.model_validate_json(msg.value) == sample_claims[0].fnol
    assert client.get(response.json()["status_url"]).json()["status"] == "received"


def test_malformed_fnol_gets_422_naming_each_bad_field(
    client: TestClient, bus: MemoryBus, sample_claims: list[GeneratedClaim]
) -> None:
    fnol = body(sample_claims[0])
    fnol["loss"]["occurred_at"] = "yesterday"
    fnol["policy"]["deductible"] = -5
    del fnol["claimant"]
    response = client.post("/v1/fnol", json=fnol)
    assert response.status_code == 422
    locations = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert {("body", "loss", "occurred_at"), ("body", "policy", "deductible"), ("body", "claimant")} <= locations
    assert bus.messages(topics.FNOL_INBOUND) == []


def test_repeat_is_idempotent_and_other_content_is_a_conflict(
    client: TestClient, bus: MemoryBus, sample_claims: list[GeneratedClaim]
) -> None:
    fnol = body(sample_claims[0])
    assert client.post("/v1/fnol", json=fnol).status_code == 202
    assert client.post("/v1/fnol", json=fnol).status_code == 202
    fnol["supplements"] = 9
    response = client.post("/v1/fnol", json=fnol)
    assert response.status_code == 409
    assert "different content" in response.json()["detail"]
    assert len(bus.messages(topics.FNOL_INBOUND)) == 2  # the stage accepts the repeat once


def test_multipart_stores_documents_by_sha256(
    client: TestClient, documents: DocumentStore, sample_claims: list[GeneratedClaim]
) -> None:
    content = b"%PDF-1.4 tiny"
    response = client.post(
        "/v1/fnol",
        data={"fnol": sample_claims[1].fnol.model_dump_json()},
        files=[("documents", ("notice.pdf", content, "application/pdf"))],
    )
    assert response.status_code == 202
    [ref] = response.json()["documents"]
    assert ref["sha256"] == hashlib.sha256(content).hexdigest()
    assert documents.get(ref["sha256"]) == content


def test_oversized_document_is_refused(client: TestClient, sample_claims: list[GeneratedClaim]) -> None:
    response = client.post(
        "/v1/fnol",
        data={"fnol": sample_claims[1].fnol.model_dump_json()},
        files=[("documents", ("big.pdf", b"x" * 1001, "application/pdf"))],
    )
    assert response.status_code == 413


def test_multipart_with_bad_fnol_names_the_field(client: TestClient) -> None:
    response = client.post("/v1/fnol", data={"fnol": '{"claim_id": "C-1"}'})
    assert response.status_code == 422
    assert ["body", "fnol", "policy"] in [e["loc"] for e in response.json()["detail"]]


def test_responses_are_counted_by_route_and_status_without_claim_ids(
    client: TestClient, sample_claims: list[GeneratedClaim]
) -> None:
    client.post("/v1/fnol", json=body(sample_claims[0]))
    client.get("/v1/claims/NOPE-1")
    metrics = client.get("/metrics/").text
    assert 'triage_intake_responses_total{method="POST",route="/v1/fnol",status="202"} 1.0' in metrics
    assert 'route="/v1/claims/{claim_id}",status="404"' in metrics
    assert "NOPE-1" not in metrics


def test_unknown_claim_is_404_and_openapi_documents_the_fnol(client: TestClient) -> None:
    assert client.get("/v1/claims/NOPE-1").status_code == 404
    spec = client.get("/openapi.json").json()
    assert "FNOL" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


class BrokerAway:
    """A publisher whose broker does not take records while `away` is set (a restart past the message timeout)."""

    def __init__(self, bus: MemoryBus) -> None:
        self.away = True
        self._publisher = bus.publisher()

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        if self.away:
            raise TransientBusError("publish failed: Local: Message timed out")
        self._publisher.publish(outputs)

    def close(self) -> None:
        self._publisher.close()


def test_an_fnol_the_broker_did_not_take_gets_503_and_is_accepted_when_sent_again(
    tmp_path: Path, bus: MemoryBus, documents: DocumentStore, sample_claims: list[GeneratedClaim]
) -> None:
    publisher = BrokerAway(bus)
    client = TestClient(intake_app(tmp_path, publisher, documents), headers=intake_token())
    claim_id = sample_claims[0].fnol.claim_id

    refused = client.post("/v1/fnol", json=body(sample_claims[0]))
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "5"
    assert f"claim {claim_id} not accepted" in refused.json()["detail"]
    assert bus.messages(topics.FNOL_INBOUND) == []

    publisher.away = False
    assert client.post("/v1/fnol", json=body(sample_claims[0])).status_code == 202
    assert [m.key for m in bus.messages(topics.FNOL_INBOUND)] == [claim_id.encode()]


def test_a_publish_waiting_for_the_broker_does_not_hold_up_other_requests(
    tmp_path: Path, documents: DocumentStore, sample_claims: list[GeneratedClaim]
) -> None:
    publisher = HeldByTheBroker()
    app = intake_app(tmp_path, publisher, documents)

    async def submit_while_checking_health() -> tuple[int, int]:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://intake", headers=intake_token()
        ) as client:
            submitted = asyncio.create_task(client.post("/v1/fnol", json=body(sample_claims[0])))
            assert await asyncio.to_thread(publisher.waiting.wait, 30)
            # On the event loop the publish would block this request until the broker answered (here: never).
            health = await asyncio.wait_for(client.get("/healthz"), timeout=10)
            publisher.release.set()
            return health.status_code, (await submitted).status_code

    assert asyncio.run(submit_while_checking_health()) == (200, 202)
