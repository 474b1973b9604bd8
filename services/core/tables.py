"""The database tables, in one place: the store, the audit log and the migrations all read them from here.

A change here needs a migration (services/core/migrations/versions/): the tables are created by
migrations, never by `create_all`, so a database made by an older version is upgraded in place.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text

metadata = MetaData()

receipts = Table(
    "receipts",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("fnol_sha256", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
claims = Table(
    "claims",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("fnol_sha256", String(64), nullable=False),
    Column("source", String(300), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
)
stage_results = Table(
    "stage_results",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("stage", String(32), primary_key=True),
    Column("event_id", String(36), nullable=False),
    Column("case_json", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

