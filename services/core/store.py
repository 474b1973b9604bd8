"""Claim store: the one place that speaks SQLAlchemy. SQLite by default, PostgreSQL in production.

Every write is idempotent by claim id (and stage), so a stage that replays a message after a
crash leaves the same rows behind as one that ran once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from services.core.events import FNOL, ClaimCase

metadata = MetaData()

receipts = Table(
    "receipts",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("fnol_sha256", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
claims = Table(
    "claims",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("fnol_sha256", String(64), nullable=False),
    Column("source", String(300), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
)
stage_results = Table(
    "stage_results",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("stage", String(32), primary_key=True),
    Column("event_id", String(36), nullable=False),
    Column("case_json", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

STAGE_STATUS = {"intake": "accepted", "docextract": "extracted", "fraud": "scored", "severity": "estimated",
                "router": "decided"}


class Acceptance(StrEnum):
    NEW = "new"  # first time: publish
    REPLAY = "replay"  # the same delivery again after a crash: publish again (the transaction decides)
    DUPLICATE = "duplicate"  # the same FNOL delivered again: nothing to do
    CONFLICT = "conflict"  # the claim id was accepted with other content


@dataclass(frozen=True)
class ClaimView:
    claim_id: str
    status: str
    stages: list[tuple[str, datetime]]
    case: ClaimCase | None


def fnol_digest(fnol: FNOL) -> str:
    """Digest of an FNOL's canonical JSON, so key order and spacing of what was sent do not matter."""
    return hashlib.sha256(fnol.model_dump_json().encode()).hexdigest()


class ClaimStore:
    """Claims, receipts and each stage's result."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._create_tables()

    def _create_tables(self) -> None:
        # Several services start at once and race to create the tables: the loser retries and finds them.
        # (SQLite may also refuse a lock upgrade at once, without waiting, to avoid a deadlock: retry that too.)
        for attempt in range(5):
            try:
                metadata.create_all(self.engine)
                return
            except (OperationalError, ProgrammingError, IntegrityError) as exc:
                text = str(exc).lower()
                if not any(s in text for s in ("already exists", "duplicate", "database is locked")) or attempt == 4:
                    raise

    def _insert(self, table: Table):  # type: ignore[no-untyped-def]
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    def record_receipt(self, claim_id: str, digest: str) -> str:
        """Note an FNOL received over HTTP; returns the digest held for this claim id (first wins)."""
        with self.engine.begin() as conn:
            conn.execute(
                self._insert(receipts)
                .values(claim_id=claim_id, fnol_sha256=digest, received_at=datetime.now(UTC))
                .on_conflict_do_nothing()
            )
            held = conn.execute(select(claims.c.fnol_sha256).where(claims.c.claim_id == claim_id)).scalar()
            return held or conn.execute(
                select(receipts.c.fnol_sha256).where(receipts.c.claim_id == claim_id)
            ).scalar_one()

    def accept(self, claim_id: str, digest: str, source: str, accepted_at: datetime) -> Acceptance:
        """Decide what an FNOL delivery means, inserting the claim on first sight."""
        with self.engine.begin() as conn:
            inserted = conn.execute(
                self._insert(claims)
                .values(claim_id=claim_id, fnol_sha256=digest, source=source, accepted_at=accepted_at)
                .on_conflict_do_nothing()
            ).rowcount
            if inserted:
                return Acceptance.NEW
            row = conn.execute(select(claims).where(claims.c.claim_id == claim_id)).one()
        if row.fnol_sha256 != digest:
            return Acceptance.CONFLICT
        return Acceptance.REPLAY if row.source == source else Acceptance.DUPLICATE

    def accepted_at(self, claim_id: str) -> datetime | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(claims.c.accepted_at).where(claims.c.claim_id == claim_id)).scalar()
        return _aware(value) if value else None

    def record_stage(self, stage: str, cases: Sequence[ClaimCase]) -> None:
        """Store a stage's output cases in one transaction; a replay overwrites them with the same content."""
        now = datetime.now(UTC)
        rows = [{"claim_id": c.claim_id, "stage": stage, "event_id": str(c.event_id),
                 "case_json": c.model_dump_json(), "recorded_at": now} for c in cases]
        stmt = self._insert(stage_results)
        stmt = stmt.on_conflict_do_update(
            index_elements=["claim_id", "stage"],
            set_={col: stmt.excluded[col] for col in ("event_id", "case_json", "recorded_at")},
        )
        with self.engine.begin() as conn:
            conn.execute(stmt, rows)

    def view(self, claim_id: str) -> ClaimView | None:
        """The claim's status and its most advanced case, or None if unknown."""
        with self.engine.connect() as conn:
            rows = list(conn.execute(
                select(stage_results.c.stage, stage_results.c.recorded_at, stage_results.c.case_json)
                .where(stage_results.c.claim_id == claim_id)
            ))
            received = conn.execute(select(receipts.c.claim_id).where(receipts.c.claim_id == claim_id)).scalar()
        if not rows:
            return ClaimView(claim_id, "received", [], None) if received else None
        order = list(STAGE_STATUS)
        rows.sort(key=lambda r: order.index(r.stage))
        last = rows[-1]
        return ClaimView(
            claim_id=claim_id,
            status=STAGE_STATUS[last.stage],
            stages=[(r.stage, _aware(r.recorded_at)) for r in rows],
            case=ClaimCase.model_validate_json(last.case_json),
        )

    def count_stage(self, stage: str) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(stage_results.c.claim_id).where(stage_results.c.stage == stage)).all())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Several service processes share one SQLite file on a laptop: WAL lets readers and a writer coexist.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first, so switching to WAL waits for a busy database too
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
