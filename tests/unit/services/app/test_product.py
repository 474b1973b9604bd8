"""`triage serve`'s guarantees in parts: one process a database, and journalled claims taken up where they stopped."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimgen.fnol import GeneratedClaim
from services.app.bootstrap import open_dependencies
from services.app.journal import GroupCommit, JournalingPublisher, take_up
from services.app.product import DatabaseInUse, own_database
from services.app.stages import STAGES
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing
from services.core.runner import Delivery
from services.core.settings import TriageSettings
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
    JournalingPublisher(MemoryBus().publisher(), deps.store.engine).publish(
        [Outgoing(topics.FNOL_INBOUND, f.claim_id, f.model_dump_json().encode()) for f in fnols]
    )
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


def test_concurrent_writes_share_one_transaction_and_each_caller_gets_its_own_answer() -> None:
    calls: list[list[int]] = []
    first_inside, release = threading.Event(), threading.Event()

    def write_many(items: list[int]) -> list[int]:
        calls.append(list(items))
        if len(calls) == 1:
            first_inside.set()
            release.wait(10)
        return [item * 2 for item in items]

    group: GroupCommit[int, int] = GroupCommit(write_many)
    answers: dict[int, int] = {}
    first = threading.Thread(target=lambda: answers.__setitem__(0, group.submit(0)))
    first.start()
    assert first_inside.wait(10)
    others = [threading.Thread(target=lambda i=i: answers.__setitem__(i, group.submit(i))) for i in range(1, 9)]
    for thread in others:
        thread.start()
    while len(group._waiting) < 8:  # every other caller queued behind the write in progress
        first_inside.wait(0.01)
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert calls[0] == [0] and sorted(calls[1]) == list(range(1, 9)) and len(calls) == 2
    assert answers == {i: i * 2 for i in range(9)}


def test_a_failed_group_write_reaches_every_caller_in_it() -> None:
    def write_many(items: list[str]) -> list[str]:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        GroupCommit(write_many).submit("x")
