"""The queue's facts an adjuster sorts by: claimant, line of business, fraud score, expected cost, amount claimed.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None

COLUMNS = (
    ("claimant", sa.String(200)),
    ("line_of_business", sa.String(20)),
    ("fraud_probability", sa.Float),
    ("expected_cost", sa.Float),
    ("claimed_amount", sa.Float),
    ("currency", sa.String(3)),
)


# The queue page's counts per desk and its line filter.
INDEXES = {"ix_queue_items_desk_count": ["status", "desk"], "ix_queue_items_line": ["status", "line_of_business"]}


def upgrade() -> None:
    with op.batch_alter_table("queue_items") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind))
    for index, columns in INDEXES.items():
        op.create_index(index, "queue_items", columns)
    _backfill(op.get_bind())


def downgrade() -> None:
    for index in INDEXES:
        op.drop_index(index, "queue_items")
    with op.batch_alter_table("queue_items") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)


def _backfill(conn: sa.Connection) -> None:
    """The facts of every case queued before, from the case the router recorded (its stage row)."""
    queue = sa.table("queue_items", sa.column("claim_id"), *(sa.column(name) for name, _ in COLUMNS))
    rows = sa.table("stage_results", sa.column("claim_id"), sa.column("stage"), sa.column("case_json"))
    found = conn.execute(
        sa.select(rows.c.claim_id, rows.c.case_json)
        .join(queue, queue.c.claim_id == rows.c.claim_id)
        .where(rows.c.stage == "router")
    )
    update = queue.update().where(queue.c.claim_id == sa.bindparam("id"))
    batch = [{"id": claim_id, **_facts(json.loads(case))} for claim_id, case in found]
    if batch:
        conn.execute(update, batch)


def _facts(case: dict[str, Any]) -> dict[str, Any]:
    """What services/adjuster/queue.py writes for a new case, read from a case's JSON as recorded."""
    fnol, fraud, severity = case["fnol"], case.get("fraud") or {}, case.get("severity") or {}
    currency = fnol["policy"].get("currency", "EUR")
    return {
        "claimant": fnol["claimant"]["name"],
        "line_of_business": fnol["line_of_business"],
        "fraud_probability": fraud.get("probability"),
        "expected_cost": severity.get("expected_cost") if severity.get("currency", "EUR") == currency else None,
        "claimed_amount": fnol["loss"].get("claimed_amount"),
        "currency": currency,
    }
