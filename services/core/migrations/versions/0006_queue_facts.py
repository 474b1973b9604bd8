"""The queue's facts an adjuster sorts by: claimant, line of business, fraud score, expected cost, amount claimed.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
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


# The queue page's counts per desk, its line filter and its sort orders (ties by claim id), as index scans.
INDEXES = {
    "ix_queue_items_desk_count": ["status", "desk"],
    "ix_queue_items_by_line_of_business": ["status", "line_of_business", "priority", "sla_due_at", "claim_id"],
    **{
        f"ix_queue_items_by_{name}": ["status", name, "claim_id"]
        for name, _ in COLUMNS[:-1]
        if name != "line_of_business"
    },
    "ix_queue_items_by_queued_at": ["status", "queued_at", "claim_id"],
    "ix_queue_items_by_due": ["sla_due_at", "claim_id"],
}


def upgrade() -> None:
    with op.batch_alter_table("queue_items") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind))
    for index, columns in INDEXES.items():
        op.create_index(index, "queue_items", columns)


def downgrade() -> None:
    for index in INDEXES:
        op.drop_index(index, "queue_items")
    with op.batch_alter_table("queue_items") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
