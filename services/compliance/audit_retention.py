"""Retention of the audit log: entries older than the retention period may be purged, younger ones never.

A purge removes the oldest entries (a prefix of the chain, all recorded before the cut-off) and appends a
purge entry recording what it removed and the anchor: the seq and hash of the last entry removed. `verify`
then checks that the first entry kept follows that anchor, so the log stays verifiable and a deletion that
no purge recorded still shows. A log that does not verify is never purged: that would destroy the evidence.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from services.core.audit import PURGE_KIND, AuditEntry, AuditLog, append_locked, digest
from services.core.tables import audit_entries, audit_head

# The EU AI Act (art. 26(6)) asks deployers of high-risk AI systems to keep its logs at least six months.
MINIMUM_RETENTION_DAYS = 183


class RetentionRefused(ValueError):
    """A purge that would delete entries inside the retention period, or from a log that does not verify."""


@dataclass(frozen=True)
class Purge:
    """What a purge removed: how many entries, up to which seq, and the anchor hash the log now starts from."""

    entries: int
    through_seq: int | None
    anchor_hash: str | None
    before: datetime


def purge(log: AuditLog, *, before: datetime, now: datetime, retention: timedelta, actor: str) -> Purge:
    """Delete the oldest entries recorded before `before`, which must be at least `retention` ago.

    Only a prefix of the chain goes: an old entry after a younger one is kept until the younger one ages out.
    """
    cutoff = now - retention
    if retention < timedelta(days=MINIMUM_RETENTION_DAYS):
        raise RetentionRefused(
            f"retention of {retention.days} days is below the minimum of {MINIMUM_RETENTION_DAYS} days"
        )
    if before > cutoff:
        raise RetentionRefused(
            f"entries recorded after {cutoff.isoformat()} are inside the retention period of "
            f"{retention.days} days: nothing recorded after that may be purged"
        )
    report = log.verify()
    if not report.intact:
        raise RetentionRefused(
            "the audit log does not verify, so nothing is purged (it would destroy evidence): "
            + "; ".join(report.problems[:3])
        )
    with log.engine.begin() as conn:
        # Lock the head as appenders do, so no entry is chained while the prefix is cut.
        conn.execute(audit_head.update().where(audit_head.c.id == 1).values(seq=audit_head.c.seq))
        first_young = conn.scalar(select(func.min(audit_entries.c.seq)).where(audit_entries.c.recorded_at >= before))
        first = conn.scalar(select(func.min(audit_entries.c.seq)))
        last = conn.scalar(select(audit_head.c.seq))
        through = (first_young - 1) if first_young is not None else last
        if first is None or through < first:
            return Purge(0, None, None, before)
        anchor = conn.scalar(select(audit_entries.c.entry_hash).where(audit_entries.c.seq == through))
        outputs = {
            "through_seq": through,
            "anchor_hash": anchor,
            "entries_purged": through - first + 1,
            "first_seq_purged": first,
            "before": before.isoformat(),
            "retention_days": retention.days,
        }
        append_locked(
            conn,
            [
                AuditEntry(
                    entry_key=f"{PURGE_KIND}:{uuid.uuid4()}",
                    recorded_at=now,
                    claim_id="",
                    kind=PURGE_KIND,
                    actor=actor,
                    inputs_digest=digest(outputs),
                    outputs=outputs,
                    reasons=[f"entries recorded before {before.date().isoformat()} are past the retention period"],
                )
            ],
        )
        conn.execute(delete(audit_entries).where(audit_entries.c.seq <= through))
    return Purge(through - first + 1, through, anchor, before)
