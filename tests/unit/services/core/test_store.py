"""The claim store on SQLite and on the real PostgreSQL server: migrations, idempotent writes."""

from __future__ import annotations

import fcntl
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from claimgen.fnol import GeneratedClaim
from services.app.stages import order
from services.core.database import migrate, writing
from services.core.events import ClaimCase
from services.core.store import Acceptance, ClaimStore, Delivered, fnol_digest
from services.core.tables import claims, receipts, stage_results

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def case_of(claim: GeneratedClaim) -> ClaimCase:
    import uuid

    return ClaimCase(
        event_id=uuid.uuid4(), claim_id=claim.fnol.claim_id, occurred_at=NOW, accepted_at=NOW, fnol=claim.fnol
    )


def versions(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    engine.dispose()
    return rows


def test_a_new_database_is_migrated_to_head(database_url: str) -> None:
    ClaimStore(database_url, order())
    engine = create_engine(database_url)
    assert {"receipts", "claims", "stage_results", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    head = versions(database_url)
    migrate(database_url)  # a second start finds the schema at head and changes nothing
    assert versions(database_url) == head and len(head) == 1


def test_a_database_made_before_migrations_is_stamped_and_upgraded(database_url: str) -> None:
    engine = create_engine(database_url)
    for table in (receipts, claims, stage_results):
        table.create(engine)
    with engine.begin() as conn:
        conn.execute(receipts.insert().values(claim_id="C-1", fnol_sha256="a" * 64, received_at=NOW))
    engine.dispose()
    store = ClaimStore(database_url, order())
    assert store.view("C-1") is not None  # the old rows are still there
    assert len(versions(database_url)) == 1


def test_services_starting_together_all_come_up(database_url: str) -> None:
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            ClaimStore(database_url, order())
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(versions(database_url)) == 1


def test_sqlite_writers_queue_on_a_lock_file_held_for_the_whole_transaction(tmp_path: Path) -> None:
    # SQLite's busy timeout sleeps between looks at its lock; writers that queue on the lock file wake when it frees.
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    lock = os.open(tmp_path / "triage.db-writers", os.O_RDWR | os.O_CREAT)
    inside, leave, second_done = threading.Event(), threading.Event(), threading.Event()
    happened: list[str] = []

    def first() -> None:
        with writing(store.engine) as conn:
            conn.execute(receipts.insert().values(claim_id="C1", fnol_sha256="a", received_at=NOW))
            inside.set()
            leave.wait(30)
            happened.append("first ending")

    def second() -> None:
        with writing(store.engine) as conn:
            happened.append("second began")
            conn.execute(receipts.insert().values(claim_id="C2", fnol_sha256="b", received_at=NOW))
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert inside.wait(30)
    threads[1].start()
    try:
        with pytest.raises(BlockingIOError):  # held while the first transaction is open: nobody else gets it
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert not second_done.is_set()
    finally:
        leave.set()
        for thread in threads:
            thread.join(30)
        os.close(lock)
    assert happened == ["first ending", "second began"]
    with store.engine.connect() as conn:
        assert set(conn.scalars(select(receipts.c.claim_id))) == {"C1", "C2"}


def test_acceptance_is_decided_once_per_claim_id(database_url: str, sample_claims: list[GeneratedClaim]) -> None:
    store = ClaimStore(database_url, order())
    fnol = sample_claims[0].fnol
    digest = fnol_digest(fnol)
    assert store.record_receipt(fnol.claim_id, digest) == digest
    assert store.record_receipt(fnol.claim_id, "b" * 64) == digest  # first wins
    assert store.accept(fnol.claim_id, digest, "t:0:1", NOW) is Acceptance.NEW
    assert store.accept(fnol.claim_id, digest, "t:0:1", NOW) is Acceptance.REPLAY
    assert store.accept(fnol.claim_id, digest, "t:0:2", NOW) is Acceptance.DUPLICATE
    assert store.accept(fnol.claim_id, "c" * 64, "t:0:3", NOW) is Acceptance.CONFLICT
    assert store.accepted_at(fnol.claim_id) == NOW


def test_a_batch_of_deliveries_is_decided_in_order_against_the_store_and_itself(
    database_url: str, sample_claims: list[GeneratedClaim]
) -> None:
    store = ClaimStore(database_url, order())
    a, b = (c.fnol for c in sample_claims[:2])
    da, db = fnol_digest(a), fnol_digest(b)
    earlier = NOW - timedelta(hours=1)
    assert store.accept(a.claim_id, da, "t:0:1", earlier) is Acceptance.NEW
    outcomes = store.accept_many(
        [
            Delivered(a.claim_id, da, "t:0:1"),  # replay of a stored delivery
            Delivered(b.claim_id, db, "t:0:5"),  # new
            Delivered(b.claim_id, db, "t:0:6"),  # the same FNOL again within the batch
            Delivered(b.claim_id, "c" * 64, "t:0:7"),  # other content under a claim id first seen in this batch
            Delivered(a.claim_id, "d" * 64, "t:0:8"),  # other content under a stored claim id
        ],
        NOW,
    )
    assert outcomes == [
        (Acceptance.REPLAY, earlier),
        (Acceptance.NEW, NOW),
        (Acceptance.DUPLICATE, NOW),
        (Acceptance.CONFLICT, NOW),
        (Acceptance.CONFLICT, earlier),
    ]
    assert store.accepted_at(b.claim_id) == NOW


def test_stage_results_are_idempotent_and_give_the_status(
    database_url: str, sample_claims: list[GeneratedClaim]
) -> None:
    store = ClaimStore(database_url, order())
    cases = [case_of(c) for c in sample_claims[:5]]
    store.record_stage("intake", cases)
    store.record_stage("intake", cases)  # a replay leaves the same rows
    store.record_stage("docextract", cases[:2])
    assert store.count_stage("intake") == 5
    view = store.view(cases[0].claim_id)
    assert view is not None and view.status == "extracted" and view.case == cases[0]
    assert [stage for stage, _ in view.stages] == ["intake", "docextract"]
    assert store.view("unknown") is None
