"""The audit log: every model score, routing decision and human action, append-only and hash-chained.

Each entry's hash covers its own fields and the hash of the entry before it, so changing, deleting or
reordering any entry breaks the chain from there on, and `verify` names the first entry where it breaks.
A head row holds the newest entry's hash, so cutting entries off the end shows too. Appends are
idempotent by `entry_key` (claim id and stage for the pipeline), so a replayed batch adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, RowMapping, Select, bindparam, func, select, update

from services.core.database import make_engine, migrate, transaction
from services.core.events import ClaimCase, ModelRef
from services.core.tables import audit_entries, audit_head

GENESIS = "0" * 64
PURGE_KIND = "audit_purge"  # the entry a retention purge leaves: what it removed and the anchor
COLUMNS = (
    "seq",
    "entry_key",
    "recorded_at",
    "claim_id",
    "kind",
    "actor",
    "model_name",
    "model_version",
    "model_arm",
    "policy_version",
    "inputs_digest",
    "outputs_json",
    "reasons_json",
    "prev_hash",
    "entry_hash",
)


@dataclass(frozen=True)
class AuditEntry:
    """One decision as the log keeps it (before it gets its place and hash in the chain)."""

    entry_key: str
    recorded_at: datetime
    claim_id: str
    kind: str
    actor: str
    inputs_digest: str
    outputs: dict[str, Any]
    reasons: list[str]
    model_name: str | None = None
    model_version: str | None = None
    model_arm: str | None = None
    policy_version: str | None = None


@dataclass
class VerifyReport:
    """What `verify` found: entries checked and every break in the chain (empty when intact)."""

    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces, UTF-8 as is: the same value always gives the same text (and digest).

    Values JSON has no type for (datetimes, decimals) are written as their str().
    """
    return orjson.dumps(value, default=str, option=_CANONICAL).decode()


def digest(value: Any) -> str:
    """sha256 of a value's canonical JSON."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def entry_hash(row: dict[str, Any] | RowMapping) -> str:
    """The hash of a stored entry: its fields (in column order) and the previous entry's hash."""
    parts = [row["prev_hash"], str(row["seq"]), row["entry_key"], _utc_text(row["recorded_at"])]
    parts += [row[name] or "" for name in COLUMNS[3:13]]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class AuditLog:
    """The audit log in the claim store's database (tables created by the migrations)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> AuditLog:
        """The log in the database at `url`, migrated to the newest schema first."""
        migrate(url)
        return cls(make_engine(url))

    def append(self, entries: Sequence[AuditEntry], *, conn: Connection | None = None) -> int:
        """Chain and store entries in one transaction (the caller's `conn` if given), skipping keys already
        logged; returns how many were new."""
        if not entries:
            return 0
        with transaction(self.engine, conn) as tx:
            return append_locked(tx, entries)

    def verify(self, batch_size: int = 20_000) -> VerifyReport:
        """Walk the chain from the first entry: every altered, deleted or reordered entry is reported.

        After a retention purge the log starts later: the first entry kept must follow the anchor (the last
        purged entry's seq and hash) that the newest purge entry in the chain recorded.
        """
        report, walk = VerifyReport(), _Walk()
        for row in self._rows(batch_size):
            report.entries += 1
            report.problems += walk.step(row)
            if len(report.problems) >= 100:
                report.problems.append("stopped after 100 problems")
                return report
        report.problems += walk.start_problems()
        with self.engine.connect() as conn:
            head_seq, head_hash = conn.execute(select(audit_head.c.seq, audit_head.c.entry_hash)).one()
        if (head_seq, head_hash) != (walk.expected_seq - 1, walk.prev):
            report.problems.append(
                f"the log ends at entry {walk.expected_seq - 1} but its head says {head_seq} "
                "(entries cut off the end, or the head altered)"
            )
        return report

    def entries(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        claim_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]:
        """Entries in chain order (or newest first), recorded in [start, end) and for one claim when given; `limit` of
        them from `offset`."""
        order = audit_entries.c.seq.desc() if newest_first else audit_entries.c.seq
        query = _within(select(audit_entries), start, end, claim_id).order_by(order).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [{**row, "recorded_at": _aware(row["recorded_at"])} for row in conn.execute(query).mappings()]

    def count(self, start: datetime | None = None, end: datetime | None = None, claim_id: str | None = None) -> int:
        """How many entries `entries` would give without a limit."""
        query = _within(select(func.count()).select_from(audit_entries), start, end, claim_id)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def scan(self, kinds: Sequence[str], batch_size: int = 20_000) -> Iterator[dict[str, Any]]:
        """Every entry of the given kinds, in chain order, streamed (for inventories over the whole log)."""
        query = select(audit_entries).where(audit_entries.c.kind.in_(list(kinds))).order_by(audit_entries.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=batch_size).execute(query).mappings():
                yield {**row, "recorded_at": _aware(row["recorded_at"])}

    def _rows(self, batch_size: int) -> Iterator[RowMapping]:
        query = select(*(audit_entries.c[name] for name in COLUMNS)).order_by(audit_entries.c.seq)
        with self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=batch_size).execute(query).mappings()


def _within(query: Select[Any], start: datetime | None, end: datetime | None, claim_id: str | None) -> Select[Any]:
    if start is not None:
        query = query.where(audit_entries.c.recorded_at >= start)
    if end is not None:
        query = query.where(audit_entries.c.recorded_at < end)
    if claim_id is not None:
        query = query.where(audit_entries.c.claim_id == claim_id)
    return query


# Built once: every pipeline batch appends, and building these cost more than running them on SQLite.
# Writing the head first takes the lock (a row lock; SQLite's write lock): appenders take turns.
_LOCK_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == 1)
    .values(seq=audit_head.c.seq)
    .returning(audit_head.c.seq, audit_head.c.entry_hash)
)
_SET_HEAD = (
    update(audit_head).where(audit_head.c.id == 1).values(seq=bindparam("new_seq"), entry_hash=bindparam("new_hash"))
)
_LOGGED = select(audit_entries.c.entry_key).where(audit_entries.c.entry_key.in_(bindparam("keys", expanding=True)))
_INSERT = audit_entries.insert()


def append_locked(conn: Connection, entries: Sequence[AuditEntry]) -> int:
    """Chain `entries` onto the log inside the caller's transaction (taking the head lock first); how many were new."""
    seq, prev = conn.execute(_LOCK_HEAD).one()
    logged = set(conn.scalars(_LOGGED, {"keys": [e.entry_key for e in entries]}))
    rows = []
    for entry in entries:
        if entry.entry_key in logged:
            continue
        logged.add(entry.entry_key)
        seq += 1
        row = _row(entry, seq, prev)
        prev = row["entry_hash"]
        rows.append(row)
    if rows:
        conn.execute(_INSERT, rows)
        conn.execute(_SET_HEAD, {"new_seq": seq, "new_hash": prev})
    return len(rows)


class _Walk:
    """Verify's walk along the chain: what the next entry must be, and where the log starts."""

    def __init__(self) -> None:
        self.expected_seq: int = 1
        self.prev = GENESIS
        self.first: RowMapping | None = None
        self.last_purge: dict[str, Any] | None = None

    def step(self, row: RowMapping) -> list[str]:
        problems = []
        if self.first is None:
            self.first = row
            if row["seq"] > 1:  # a purged prefix: checked against the purge entry once the walk is done
                self.expected_seq, self.prev = row["seq"], row["prev_hash"]
        if row["seq"] != self.expected_seq:
            problems.append(f"entry {row['seq']}: expected entry {self.expected_seq} here (deleted or moved)")
        elif row["prev_hash"] != self.prev:
            problems.append(f"entry {row['seq']}: does not follow the entry before it (reordered)")
        if entry_hash(row) != row["entry_hash"]:
            problems.append(f"entry {row['seq']}: content does not match its hash (altered)")
        if row["kind"] == PURGE_KIND:
            self.last_purge = json.loads(row["outputs_json"])
        self.expected_seq, self.prev = row["seq"] + 1, row["entry_hash"]
        return problems

    def start_problems(self) -> list[str]:
        """A log that does not start at entry 1 must start where the newest recorded purge left it."""
        if self.first is None or self.first["seq"] == 1:
            return []
        through, anchor = self.first["seq"] - 1, self.first["prev_hash"]
        purge = self.last_purge or {}
        if (purge.get("through_seq"), purge.get("anchor_hash")) != (through, anchor):
            return [f"entries 1 to {through} are missing and no purge entry records their removal (deleted)"]
        return []


# A stage's audit hook: the entry one output case calls for (or None), given the digest of its input record.
EntryFor = Callable[[ClaimCase, str], "AuditEntry | None"]


def entries_for(
    made: EntryFor, cases: Sequence[ClaimCase], consumed: Sequence[bytes] | None = None
) -> list[AuditEntry]:
    """The audit entries a stage's output cases call for, made by the stage's own hook.

    Each entry's inputs digest is the sha256 of the record the stage made the case from (`consumed`: the case
    event, byte for byte as on the stage's input topic and in the previous stage's store row), so the input of
    every decision can be found and checked. Without `consumed` (tools, tests), the case's own JSON is digested.
    """
    sources = consumed if consumed is not None else [case.model_dump_json().encode() for case in cases]
    return [
        entry
        for case, source in zip(cases, sources, strict=True)
        if (entry := made(case, hashlib.sha256(source).hexdigest())) is not None
    ]


def model_entry(
    case: ClaimCase,
    stage: str,
    kind: str,
    model: ModelRef | None,
    outputs: dict[str, Any],
    reasons: list[str],
    inputs: str,
) -> AuditEntry:
    """A model's output on a case, keyed by claim and stage so a replayed batch adds nothing."""
    return AuditEntry(
        entry_key=f"{case.claim_id}:{stage}",
        recorded_at=case.occurred_at,
        claim_id=case.claim_id,
        kind=kind,
        actor=f"model:{model.name}" if model else stage,
        inputs_digest=inputs,
        outputs=outputs,
        reasons=reasons,
        model_name=model.name if model else None,
        model_version=model.version if model else None,
        model_arm=model.arm if model else None,
    )


def shadow_outputs(model: ModelRef, outputs: dict[str, Any]) -> dict[str, Any]:
    """What the other A/B arm scored: kept in the entry, so the model inventory sees versions serving as shadow."""
    return {"model_version": model.version, "model_arm": model.arm, **outputs}


def _row(entry: AuditEntry, seq: int, prev: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "seq": seq,
        "entry_key": entry.entry_key,
        "recorded_at": _aware(entry.recorded_at).astimezone(UTC),
        "claim_id": entry.claim_id,
        "kind": entry.kind,
        "actor": entry.actor,
        "model_name": entry.model_name,
        "model_version": entry.model_version,
        "model_arm": entry.model_arm,
        "policy_version": entry.policy_version,
        "inputs_digest": entry.inputs_digest,
        "outputs_json": canonical_json(entry.outputs),
        "reasons_json": canonical_json(entry.reasons),
        "prev_hash": prev,
    }
    row["entry_hash"] = entry_hash(row)
    return row


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _utc_text(value: datetime) -> str:
    return _aware(value).astimezone(UTC).isoformat()
