"""Claims, receipts and stage results: the tables that existed before migrations.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipts",
        sa.Column("claim_id", sa.String(64), primary_key=True),
        sa.Column("fnol_sha256", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("claim_id", sa.String(64), primary_key=True),
        sa.Column("fnol_sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "stage_results",
        sa.Column("claim_id", sa.String(64), primary_key=True),
        sa.Column("stage", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("case_json", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("stage_results", "claims", "receipts"):
        op.drop_table(table)
