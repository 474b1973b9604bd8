"""`triage serve`'s guarantees in parts: one process a database, and journalled claims taken up where they stopped."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from claimgen.fnol import GeneratedClaim
from services.app.bootstrap import open_dependencies
from services.app.journal import JournalledAdmission, take_up
from services.app.product import DatabaseInUse, own_database
from services.app.stages import STAGES
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing
from services.core.events import FNOL
from services.core.runner import Delivery
from services.core.settings import TriageSettings
from services.core.tables import inbound as journal
from services.intake.handler import accept_fnols


def test_a_second_server_on_the_same_database_is_refused_naming_what_to_change(tmp_path: Path) -> None:
    settings = TriageSettings(data_dir=tmp_path)
    held = own_database(settings)
    with pytest.raises(DatabaseInUse, match="TRIAGE_DATA_DIR or TRIAGE_DATABASE_URL"):
        own_database(settings)
    held.close()
    own_database(settings).close()  # free again once the first one is gone


def test_journalled_claims_go_back_to_the_stage_after_the_last_they_completed(
    tmp_path: Path, sample_claims: list[GeneratedClaim]
) -> None:
    deps = open_dependencies(TriageSettings(data_dir=tmp_path))
    fnols = [c.fnol for c in sample_claims[:4]]
    admit_all(JournalledAdmission(deps.store, MemoryBus().publisher()), [inbound(f) for f in fnols])
    now = datetime.now(UTC)
    # claim 0: accepted and never recorded by intake; 1: past intake; 2: past fraud; 3: decided
    cases = accept_fnols(fnols, [Delivery(f"in:0:{i}", now) for i in range(4)], ledger=deps.store, clock=lambda: now)
    deps.store.record_stage("intake", cases[1:])  # type: ignore[arg-type]
    deps.store.record_stage("fraud", cases[2:3])  # type: ignore[arg-type]
    deps.store.record_stage("router", cases[3:])  # type: ignore[arg-type]
    bus = MemoryBus()
    taken = take_up(deps.store.engine, STAGES, bus.publisher())
    assert taken.by_stage == {"intake": 1, "docextract": 1, "links": 1}
    assert [m.key.decode() for m in bus.messages(topics.FNOL_INBOUND)] == [fnols[0].claim_id]
    assert [m.key.decode() for m in bus.messages(topics.FNOL)] == [fnols[1].claim_id]
    assert [m.key.decode() for m in bus.messages(topics.SCORED)] == [fnols[2].claim_id]
    assert deps.store.accepted_at(fnols[0].claim_id) is None  # intake accepts it anew, not as a duplicate
    assert deps.store.accepted_at(fnols[1].claim_id) is not None


def inbound(fnol: FNOL, body: bytes | None = None) -> tuple[Outgoing, str]:
    body = body or fnol.model_dump_json().encode()
    return Outgoing(topics.FNOL_INBOUND, fnol.claim_id, body), hashlib.sha256(body).hexdigest()


def admit_all(admission: JournalledAdmission, records: list[tuple[Outgoing, str]]) -> list[str | BaseException]:
    """Every record admitted at once, as concurrent requests are; each one's answer or error."""

    async def run() -> list[str | BaseException]:
        return await asyncio.gather(*(admission.admit(r, d) for r, d in records), return_exceptions=True)

    try:
        return asyncio.run(run())
    finally:
        admission.close()


class CountingPublisher:
    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        self.batches.append([o.key for o in outputs])

    def close(self) -> None:
        return None


def test_concurrent_fnols_are_journalled_together_and_one_held_by_other_content_is_not_published(
    tmp_path: Path, sample_claims: list[GeneratedClaim]
) -> None:
    deps = open_dependencies(TriageSettings(data_dir=tmp_path))
    fnols = [c.fnol for c in sample_claims[:20]]
    first = admit_all(JournalledAdmission(deps.store, MemoryBus().publisher()), [inbound(fnols[0])])
    publisher = CountingPublisher()
    records = [inbound(fnols[0], b'{"other": "content"}'), *(inbound(f) for f in fnols)]
    answers = admit_all(JournalledAdmission(deps.store, publisher), records)
    assert answers == [first[0], *(digest for _, digest in records[1:])]  # the first content is held
    assert sum(len(batch) for batch in publisher.batches) == len(fnols)  # the conflicting one is not published
    assert len(publisher.batches) < len(fnols)  # requests waiting together share a commit
    with deps.store.engine.connect() as conn:
        journalled = conn.execute(select(journal.c.claim_id, journal.c.payload)).all()
    assert sorted(journalled) == sorted((f.claim_id, f.model_dump_json().encode()) for f in fnols)


def test_a_failed_write_reaches_every_request_in_its_group(tmp_path: Path, sample_claims: list[GeneratedClaim]) -> None:
    deps = open_dependencies(TriageSettings(data_dir=tmp_path))
    with deps.store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE inbound")
    answers = admit_all(
        JournalledAdmission(deps.store, CountingPublisher()), [inbound(c.fnol) for c in sample_claims[:3]]
    )
    assert all(isinstance(a, OperationalError) and "inbound" in str(a) for a in answers)
