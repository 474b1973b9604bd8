"""`triage audit verify` on a large log: append N chained entries to a fresh SQLite store, then verify them.

    python benchmarks/audit_verify.py --entries 1000000 [--database-url postgresql+psycopg://...]

Last line: `audit: entries=… verify_s=… append_per_s=…` (aim: verify_s <= 30 for 1,000,000 entries).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.core.audit import AuditEntry, AuditLog, digest

BATCH = 10_000


def entry(i: int, start: datetime) -> AuditEntry:
    """A routing-decision-sized entry; the fields vary with i so no two hash alike."""
    claim_id = f"CLM-BENCH-{i // 3:08d}"
    return AuditEntry(
        entry_key=f"{claim_id}:{i % 3}",
        recorded_at=start + timedelta(milliseconds=i),
        claim_id=claim_id,
        kind=("fraud_score", "severity_estimate", "routing_decision")[i % 3],
        actor="model:fraud",
        inputs_digest=digest(i),
        outputs={"probability": (i % 997) / 997, "route": "adjuster", "desk": "general"},
        reasons=[
            "Fraud probability 20 % is above the straight-through limit of 15 %.",
            "Policy incepted 1 to 7 days before the loss",
        ],
        model_name="fraud",
        model_version="3",
        model_arm="champion",
        policy_version="2026.11.1",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = AuditLog.open(args.database_url or f"sqlite:///{Path(folder) / 'audit.db'}")
        start = datetime(2026, 11, 1, tzinfo=UTC)
        began = time.perf_counter()
        for first in range(0, args.entries, BATCH):
            log.append([entry(i, start) for i in range(first, min(first + BATCH, args.entries))])
        append_s = time.perf_counter() - began
        began = time.perf_counter()
        report = log.verify()
        verify_s = time.perf_counter() - began
        assert report.intact and report.entries == args.entries, report.problems[:5]
        print(f"appended {args.entries} entries in {append_s:.1f} s, verified in {verify_s:.1f} s")
        print(f"audit: entries={args.entries} verify_s={verify_s:.2f} append_per_s={args.entries / append_s:.0f}")


if __name__ == "__main__":
    main()
