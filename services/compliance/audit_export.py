"""Export of the audit log for a date range, as CSV or Parquet, for compliance and regulators."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from services.core.audit import COLUMNS, AuditLog

if TYPE_CHECKING:
    import pyarrow as pa

Format = Literal["csv", "parquet"]


def export_audit(
    log: AuditLog, out: Path, fmt: Format, start: datetime | None = None, end: datetime | None = None
) -> int:
    """Write the entries recorded in [start, end) to `out`, in chain order; returns how many."""
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
