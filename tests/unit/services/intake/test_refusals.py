"""Every refusal says what to change and names the field: a loss dated in the future (over HTTP and on the inbound
topic alike), the FNOL part of a form however curl sends it, a conflicting repeat, an oversized document."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from claimgen.fnol import GeneratedClaim
from services.app.bootstrap import open_dependencies
from services.app.stages import declared
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing
from services.core.events import FNOL, ClaimCase
from services.core.runner import Runner, drain
from services.core.settings import TriageSettings
from services.intake.checks import CLOCK_SKEW


def in_the_future(fnol: FNOL, *, days: int = 3) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(fnol.model_dump_json())
    later = datetime.now(UTC) + timedelta(days=days)
    body["loss"]["occurred_at"] = later.isoformat()
    body["loss"]["reported_at"] = (later + timedelta(hours=1)).isoformat()
    return body


def test_a_loss_dated_in_the_future_is_refused_naming_the_field(
    client: TestClient, bus: MemoryBus, sample_claims: list[GeneratedClaim]
) -> None:
    response = client.post("/v1/fnol", json=in_the_future(sample_claims[0].fnol))
    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert set(errors) == {("body", "loss", "occurred_at"), ("body", "loss", "reported_at")}
    assert "is in the future" in errors[("body", "loss", "occurred_at")]
    assert "send when the loss occurred" in errors[("body", "loss", "occurred_at")]
    assert bus.messages(topics.FNOL_INBOUND) == []
    assert client.get(f"/v1/claims/{sample_claims[0].fnol.claim_id}").status_code == 404  # no receipt either


def test_a_loss_a_little_ahead_of_our_clock_is_taken(client: TestClient, sample_claims: list[GeneratedClaim]) -> None:
    body = json.loads(sample_claims[0].fnol.model_dump_json())
    ahead = datetime.now(UTC) + CLOCK_SKEW / 2  # the intake system's clock runs a little fast
    body["loss"]["occurred_at"] = body["loss"]["reported_at"] = ahead.isoformat()
    assert client.post("/v1/fnol", json=body).status_code == 202


def test_in_a_form_the_future_loss_date_is_named_inside_the_fnol_part(
    client: TestClient, sample_claims: list[GeneratedClaim]
) -> None:
    response = client.post("/v1/fnol", data={"fnol": json.dumps(in_the_future(sample_claims[0].fnol))})
    assert response.status_code == 422
    assert ["body", "fnol", "loss", "occurred_at"] in [e["loc"] for e in response.json()["detail"]]


def test_on_the_inbound_topic_a_future_loss_date_goes_to_the_dlq_with_the_same_words(
    tmp_path: Path, sample_claims: list[GeneratedClaim]
) -> None:
    stage = declared("intake").stage(open_dependencies(TriageSettings(data_dir=tmp_path)))
    bus = MemoryBus()
    future, fine = json.dumps(in_the_future(sample_claims[0].fnol)).encode(), sample_claims[1].fnol
    bus.publisher().publish(
        [
            Outgoing(topics.FNOL_INBOUND, sample_claims[0].fnol.claim_id, future),
            Outgoing(topics.FNOL_INBOUND, fine.claim_id, fine.model_dump_json().encode()),
        ]
    )
    drain([Runner(stage, bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])
    [dead] = bus.messages(topics.DLQ)
    error = dict(dead.headers)["dlq.error"].decode()
    assert error.startswith("rejected: loss.occurred_at ") and "is in the future" in error
    assert [ClaimCase.model_validate_json(m.value).claim_id for m in bus.messages(topics.FNOL)] == [fine.claim_id]


@pytest.mark.parametrize("form", ["text field (-F fnol=<file)", "file part (-F fnol=@file)"])
def test_the_fnol_part_may_be_a_text_field_or_a_file(
    client: TestClient, sample_claims: list[GeneratedClaim], form: str
) -> None:
    fnol = sample_claims[2].fnol.model_dump_json()
    notice = ("documents", ("notice.pdf", b"%PDF-1.4 tiny", "application/pdf"))
    if form.startswith("text"):
        response = client.post("/v1/fnol", data={"fnol": fnol}, files=[notice])
    else:  # what curl sends for -F fnol=@fnol.json: a part with a filename, typed application/octet-stream
        response = client.post(
            "/v1/fnol", files=[("fnol", ("fnol.json", fnol.encode(), "application/octet-stream")), notice]
        )
    assert response.status_code == 202, response.text
    assert [d["filename"] for d in response.json()["documents"]] == ["notice.pdf"]


def test_a_form_without_the_fnol_part_says_how_to_add_it(client: TestClient) -> None:
    response = client.post("/v1/fnol", files=[("documents", ("notice.pdf", b"%PDF-1.4", "application/pdf"))])
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "fnol"] and "-F fnol=@fnol.json" in error["msg"]


def test_json_sent_without_a_content_type_is_read_as_json(
    client: TestClient, sample_claims: list[GeneratedClaim]
) -> None:
    # curl -d @fnol.json without -H 'content-type: application/json' labels the JSON as a url-encoded form.
    response = client.post(
        "/v1/fnol",
        content=sample_claims[3].fnol.model_dump_json(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 202, response.text


def test_a_conflicting_repeat_and_an_oversized_document_say_what_to_change(
    client: TestClient, sample_claims: list[GeneratedClaim]
) -> None:
    body = json.loads(sample_claims[4].fnol.model_dump_json())
    client.post("/v1/fnol", json=body)
    conflict = client.post("/v1/fnol", json=body | {"supplements": 7})
    assert conflict.status_code == 409 and "a new claim needs a new claim_id" in conflict.json()["detail"]
    big = client.post(
        "/v1/fnol",
        data={"fnol": sample_claims[5].fnol.model_dump_json()},
        files=[("documents", ("scan.pdf", b"x" * 1001, "application/pdf"))],
    )
    assert big.status_code == 413 and big.json()["detail"].startswith("documents: scan.pdf is larger than 1000 bytes")


def test_a_claim_without_its_insured_object_says_what_to_add(
    client: TestClient, sample_claims: list[GeneratedClaim]
) -> None:
    body = json.loads(sample_claims[0].fnol.model_dump_json())
    del body["vehicle"]
    response = client.post("/v1/fnol", json=body)
    assert response.status_code == 422
    assert "add `vehicle`" in response.json()["detail"][0]["msg"]
