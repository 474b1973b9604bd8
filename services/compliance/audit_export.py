"""Export of the audit log for a date range, as CSV or Parquet, for compliance and regulators."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from services.core.audit import COLUMNS, AuditLog, VerifyReport

if TYPE_CHECKING:
    import pyarrow as pa

Format = Literal["csv", "parquet"]


class ChainBroken(Exception):
    """The audit log does not verify: an export of it would pass altered or missing entries off as the record."""

    def __init__(self, report: VerifyReport) -> None:
        self.report = report
        shown = "; ".join(report.problems[:3]) + ("; …" if len(report.problems) > 3 else "")
        super().__init__(
            f"the audit log does not verify ({len(report.problems)} problem(s) in {report.entries} entries: {shown}); "
            "run `triage audit verify` and investigate before exporting"
        )


def export_audit(
    log: AuditLog,
    out: Path,
    fmt: Format,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    allow_broken_chain: bool = False,
) -> int:
    """Write the entries recorded in [start, end) to `out`, in chain order; returns how many.

    The whole chain is verified first: a log that does not verify raises ChainBroken and nothing is written, unless
    `allow_broken_chain` (an investigator exporting the evidence), when the export is written as the log stands."""
    check = log.verify()
    if not check.intact and not allow_broken_chain:
        raise ChainBroken(check)
    rows = log.entries(start, end)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with out.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "recorded_at": row["recorded_at"].isoformat()})
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist([{name: row[name] for name in COLUMNS} for row in rows], schema=_parquet_schema())
        pq.write_table(table, out)
    return len(rows)


def _parquet_schema() -> pa.Schema:
    import pyarrow as pa

    types = {"seq": pa.int64(), "recorded_at": pa.timestamp("us", tz="UTC")}
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])
