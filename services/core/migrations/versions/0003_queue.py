"""The adjuster queue.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_items",
        sa.Column("claim_id", sa.String(64), primary_key=True),
        sa.Column("desk", sa.String(50), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("recommendation", sa.String(30), nullable=False),
        sa.Column("payable_limit", sa.Float, nullable=False),
        sa.Column("held_by", sa.String(200)),
        sa.Column("held_until", sa.DateTime(timezone=True)),
        sa.Column("decision", sa.String(30)),
        sa.Column("amount", sa.Float),
        sa.Column("reason", sa.Text),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
    )
    for column in ("desk", "sla_due_at", "status"):
        op.create_index(f"ix_queue_items_{column}", "queue_items", [column])
    # The queue's own order (open first, most urgent first) served from an index, for 100,000 claims.
    op.create_index("ix_queue_items_order", "queue_items", ["status", "priority", "sla_due_at"])


def downgrade() -> None:
    op.drop_table("queue_items")
