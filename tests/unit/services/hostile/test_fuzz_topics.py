"""Fuzzed records on the inbound topic and broken documents: each ends in the DLQ or on the case, nothing stops."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from benchmarks.hostile import broken_documents, hostile_records
from claimgen.fnol import generate_claims
from services.app.bootstrap import open_dependencies
from services.app.stages import declared
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing
from services.core.events import FNOL, ClaimCase, DocumentRef
from services.core.runner import Delivery, Runner, drain
from services.core.settings import TriageSettings
from services.core.store import fnol_digest
from services.docextract import extract


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=st.lists(hostile_records, min_size=1, max_size=8))
def test_every_hostile_record_is_accepted_or_dead_lettered_and_the_stream_goes_on(
    records: list[bytes], tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("fuzz")
    deps = open_dependencies(TriageSettings(data_dir=folder))
    bus = MemoryBus()
    valid = generate_claims(1, seed=2, id_prefix=f"F{uuid.uuid4().hex[:6]}")[0].fnol
    bus.publisher().publish(
        [Outgoing(topics.FNOL_INBOUND, "k", r) for r in records]
        + [Outgoing(topics.FNOL_INBOUND, valid.claim_id, valid.model_dump_json().encode())]
    )
    intake = Runner(
        declared("intake").stage(deps),
        bus.stage_link("intake", [topics.FNOL_INBOUND]),
        poll_timeout_s=0.01,
    )
    drain([intake])
    accepted = [ClaimCase.model_validate_json(m.value).claim_id for m in bus.messages(topics.FNOL)]
    dead = bus.messages(topics.DLQ)
    first_seen: dict[str, str] = {}
    invalid = conflicts = 0
    for record in records:
        try:
            fnol = FNOL.model_validate_json(record)
        except ValidationError:
            invalid += 1
            continue
        held = first_seen.setdefault(fnol.claim_id, fnol_digest(fnol))
        conflicts += held != fnol_digest(fnol)
    assert valid.claim_id in accepted  # the stream went on past every hostile record
    assert sorted(accepted) == sorted({*first_seen, valid.claim_id})  # each valid claim once
    assert len(dead) == invalid + conflicts  # every other record is a dead letter
    assert all(dict(m.headers)["dlq.error"] for m in dead)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=broken_documents)
def test_a_broken_document_is_named_on_the_case_and_the_claim_goes_on(content: bytes, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from services.core.documents import DocumentStore

    store = DocumentStore(tmp_path_factory.mktemp("docs"))
    digest = store.put(content)
    fnol = generate_claims(1, seed=4)[0].fnol
    fnol = fnol.model_copy(
        update={
            "documents": [
                DocumentRef(sha256=digest, filename="x.pdf", media_type="application/pdf", size_bytes=len(content))
            ]
        }
    )
    now = datetime.now(UTC)
    case = ClaimCase(event_id=uuid.uuid4(), claim_id=fnol.claim_id, occurred_at=now, accepted_at=now, fnol=fnol)
    out = extract(case, Delivery("t:0:0", now), documents=store, max_pages=20)
    assert out.extraction is not None
    [summary] = out.extraction.documents
    assert summary.error is not None or summary.pages >= 0
