"""Claim store: the one place that speaks SQLAlchemy. SQLite by default, PostgreSQL in production.

Every write is idempotent by claim id (and stage), so a stage that replays a message after a
crash leaves the same rows behind as one that ran once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from services.core.database import make_engine, migrate, transaction, writing
from services.core.events import FNOL, ClaimCase
from services.core.tables import claims, receipts, stage_results

# A pipeline's stages in order, each with the status a claim has once it passed that stage: ("fraud", "scored").
StageOrder = Sequence[tuple[str, str]]


class Acceptance(StrEnum):
    NEW = "new"  # first time: publish
    REPLAY = "replay"  # the same delivery again after a crash: publish again (the transaction decides)
    DUPLICATE = "duplicate"  # the same FNOL delivered again: nothing to do
    CONFLICT = "conflict"  # the claim id was accepted with other content


@dataclass(frozen=True)
class Delivered:
    """One delivery of an FNOL: its claim id, content digest and source (topic:partition:offset)."""

    claim_id: str
    digest: str
    source: str


@dataclass(frozen=True)
class ClaimView:
    claim_id: str
    status: str
    stages: list[tuple[str, datetime]]
    case: ClaimCase | None


def fnol_digest(fnol: FNOL) -> str:
    """Digest of an FNOL's canonical JSON, so key order and spacing of what was sent do not matter."""
    return hashlib.sha256(fnol.cached_json().encode()).hexdigest()


class ClaimStore:
    """Claims, receipts and each stage's result."""

    def __init__(self, url: str, order: StageOrder = ()) -> None:
        """`order`: the pipeline's stages (the composition root knows them), which `view` and `latest_cases` rank
        a claim's stage rows by; a store opened without it only writes and counts."""
        self._status = dict(order)
        self._rank = {stage: i for i, (stage, _) in enumerate(order)}
        migrate(url)  # race-safe: services starting together wait for the first one's upgrade
        self.engine: Engine = make_engine(url)
        # Built once, executed with a list of rows: SQLAlchemy compiles each statement once, not once per batch.
        # RETURNING, not rowcount: psycopg reports -1 for ON CONFLICT DO NOTHING.
        self._accept = self._insert(claims).on_conflict_do_nothing().returning(claims.c.claim_id)
        upsert = self._insert(stage_results)
        self._record = upsert.on_conflict_do_update(
            index_elements=["claim_id", "stage"],
            set_={col: upsert.excluded[col] for col in ("event_id", "case_json", "recorded_at")},
        )

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def record_receipt(self, claim_id: str, digest: str) -> str:
        """Note an FNOL received over HTTP; returns the digest held for this claim id (first wins)."""
        return self.record_receipts([(claim_id, digest)])[0]

    def record_receipts(self, received: Sequence[tuple[str, str]], conn: Connection | None = None) -> list[str]:
        """`record_receipt` for several FNOLs (claim id, digest) in one transaction (`conn`'s when given), in
        their order."""
        now = datetime.now(UTC)
        ids = [claim_id for claim_id, _ in received]
        with writing(self.engine) if conn is None else nullcontext(conn) as conn:
            conn.execute(
                self._insert(receipts).on_conflict_do_nothing(),
                [{"claim_id": c, "fnol_sha256": d, "received_at": now} for c, d in received],
            )
            accepted = dict(
                conn.execute(select(claims.c.claim_id, claims.c.fnol_sha256).where(claims.c.claim_id.in_(ids))).all()
            )
            noted = dict(
                conn.execute(
                    select(receipts.c.claim_id, receipts.c.fnol_sha256).where(receipts.c.claim_id.in_(ids))
                ).all()
            )
        return [accepted.get(claim_id) or noted[claim_id] for claim_id in ids]

    def accept(self, claim_id: str, digest: str, source: str, accepted_at: datetime) -> Acceptance:
        """Decide what an FNOL delivery means, inserting the claim on first sight."""
        return self.accept_many([Delivered(claim_id, digest, source)], accepted_at)[0][0]

    def accept_many(self, deliveries: Sequence[Delivered], accepted_at: datetime) -> list[tuple[Acceptance, datetime]]:
        """What each FNOL delivery means, and when its claim was accepted, in one transaction: claims seen for
        the first time are inserted (accepted at `accepted_at`); later deliveries of a claim id, in this batch or
        before, are compared with the first one."""
        if not deliveries:
            return []
        first: dict[str, Delivered] = {}
        for d in deliveries:
            first.setdefault(d.claim_id, d)
        with writing(self.engine) as conn:
            inserted = set(
                conn.scalars(
                    self._accept,
                    [
                        {
                            "claim_id": d.claim_id,
                            "fnol_sha256": d.digest,
                            "source": d.source,
                            "accepted_at": accepted_at,
                        }
                        for d in first.values()
                    ],
                )
            )
            held = (
                {
                    row.claim_id: row
                    for row in conn.execute(
                        select(claims.c.claim_id, claims.c.fnol_sha256, claims.c.source, claims.c.accepted_at).where(
                            claims.c.claim_id.in_([c for c in first if c not in inserted])
                        )
                    )
                }
                if len(inserted) < len(first)
                else {}
            )
        outcomes = []
        for d in deliveries:
            if d.claim_id in inserted and first[d.claim_id] is d:
                outcomes.append((Acceptance.NEW, accepted_at))
                continue
            row = held.get(d.claim_id)
            digest, source, at = (
                (row.fnol_sha256, row.source, _aware(row.accepted_at))
                if row
                else (first[d.claim_id].digest, first[d.claim_id].source, accepted_at)
            )  # first seen in this batch
            if digest != d.digest:
                outcomes.append((Acceptance.CONFLICT, at))
            else:
                outcomes.append((Acceptance.REPLAY if source == d.source else Acceptance.DUPLICATE, at))
        return outcomes

    def accepted_at(self, claim_id: str) -> datetime | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(claims.c.accepted_at).where(claims.c.claim_id == claim_id)).scalar()
        return _aware(value) if value else None

    def record_stage(
        self,
        stage: str,
        cases: Sequence[ClaimCase],
        texts: Sequence[str] | None = None,
        *,
        conn: Connection | None = None,
    ) -> None:
        """Store a stage's output cases in one transaction (the caller's `conn` if given); a replay overwrites them
        with the same content. `texts`, when given, are the cases' JSON as already serialized (by the runner)."""
        now = datetime.now(UTC)
        texts = texts if texts is not None else [c.model_dump_json() for c in cases]
        rows = [
            {"claim_id": c.claim_id, "stage": stage, "event_id": str(c.event_id), "case_json": text, "recorded_at": now}
            for c, text in zip(cases, texts, strict=True)
        ]
        with transaction(self.engine, conn) as tx:
            tx.execute(self._record, rows)

    def view(self, claim_id: str) -> ClaimView | None:
        """The claim's status and its most advanced case, or None if unknown."""
        with self.engine.connect() as conn:
            rows = list(
                conn.execute(
                    select(stage_results.c.stage, stage_results.c.recorded_at, stage_results.c.case_json).where(
                        stage_results.c.claim_id == claim_id
                    )
                )
            )
            received = conn.execute(select(receipts.c.claim_id).where(receipts.c.claim_id == claim_id)).scalar()
        if not rows:
            return ClaimView(claim_id, "received", [], None) if received else None
        rows.sort(key=lambda r: self._ranked(r.stage))
        last = rows[-1]
        return ClaimView(
            claim_id=claim_id,
            status=self._status[last.stage],
            stages=[(r.stage, _aware(r.recorded_at)) for r in rows],
            case=ClaimCase.model_validate_json(last.case_json),
        )

    def latest_cases(self, claim_ids: Sequence[str], chunk: int = 500) -> dict[str, ClaimCase]:
        """The most advanced case of each of `claim_ids` that has one (e.g. for a compliance report)."""
        order = self._ranked_stages()
        best: dict[str, tuple[int, str]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(claim_ids), chunk):
                query = select(stage_results.c.claim_id, stage_results.c.stage, stage_results.c.case_json).where(
                    stage_results.c.claim_id.in_(claim_ids[start : start + chunk])
                )
                for row in conn.execute(query):
                    if row.stage in order and order[row.stage] >= best.get(row.claim_id, (-1, ""))[0]:
                        best[row.claim_id] = (order[row.stage], row.case_json)
        return {claim_id: ClaimCase.model_validate_json(text) for claim_id, (_, text) in best.items()}

    def _ranked(self, stage: str) -> int:
        return self._ranked_stages().get(stage, -1)

    def _ranked_stages(self) -> dict[str, int]:
        if not self._rank:
            raise RuntimeError("this ClaimStore was opened without the pipeline's stage order: pass `order`")
        return self._rank

    def count_stage(self, stage: str) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(stage_results.c.claim_id).where(stage_results.c.stage == stage)).all())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
