"""The claims graph: entities resolved across claims, their blocking keys and each claim's links.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "link_entities",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("display", sa.String(300), nullable=False),
        sa.Column("record", sa.Text),
        sa.Column("claims", sa.Integer, nullable=False),
    )
    op.create_index("ix_link_entities_key", "link_entities", ["key"], unique=True)
    op.create_table(
        "link_blocks",
        sa.Column("block", sa.String(300), primary_key=True),
        sa.Column("entity_id", _ID, primary_key=True),
    )
    op.create_table(
        "claim_links",
        sa.Column("claim_id", sa.String(64), primary_key=True),
        sa.Column("entity_id", _ID, primary_key=True),
        sa.Column("role", sa.String(40), primary_key=True),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_claim_links_entity", "claim_links", ["entity_id", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_claim_links_entity", "claim_links")
    op.drop_table("claim_links")
    op.drop_table("link_blocks")
    op.drop_index("ix_link_entities_key", "link_entities")
    op.drop_table("link_entities")
