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


# The queue page's counts per desk and its line filter.
INDEXES = {"ix_queue_items_desk_count": ["status", "desk"], "ix_queue_items_line": ["status", "line_of_business"]}


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
