"""The database tables, in one place: the store, the audit log and the migrations all read them from here.

A change here needs a migration (services/core/migrations/versions/): the tables are created by
migrations, never by `create_all`, so a database made by an older version is upgraded in place.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

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


# The audit log: append-only, each entry chained to the one before by hash (services/core/audit.py).
audit_entries = Table(
    "audit_entries",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("entry_key", String(200), nullable=False, unique=True),  # idempotency: claim_id:stage, or an action id
    Column("recorded_at", DateTime(timezone=True), nullable=False, index=True),
    Column("claim_id", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),  # fraud_score, severity_estimate, routing_decision, human action
    Column("actor", String(200), nullable=False),
    Column("model_name", String(100)),
    Column("model_version", String(50)),
    Column("model_arm", String(20)),
    Column("policy_version", String(50)),
    Column("inputs_digest", String(64), nullable=False),
    Column("outputs_json", Text, nullable=False),
    Column("reasons_json", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)
# One row: the newest entry, so truncating the log's tail shows on verify too.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)


# The adjuster queue: one row per claim the router sent to a desk, and what became of it.
queue_items = Table(
    "queue_items",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("desk", String(50), nullable=False, index=True),
    Column("priority", Integer, nullable=False),
    Column("sla_due_at", DateTime(timezone=True), nullable=False, index=True),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, index=True),  # open or decided
    Column("recommendation", String(30), nullable=False),  # what the models and the policy suggest
    Column("payable_limit", Float, nullable=False),  # sum insured: no approval above it
    Column("held_by", String(200)),
    Column("held_until", DateTime(timezone=True)),
    Column("decision", String(30)),
    Column("amount", Float),
    Column("reason", Text),
    Column("decided_by", String(200)),
    Column("decided_at", DateTime(timezone=True)),
    # What an adjuster sorts the queue by, copied from the case when it is queued (None on rows queued before).
    Column("claimant", String(200)),
    Column("line_of_business", String(20)),
    Column("fraud_probability", Float),
    Column("expected_cost", Float),
    Column("claimed_amount", Float),
    Column("currency", String(3)),
)
Index("ix_queue_items_order", queue_items.c.status, queue_items.c.priority, queue_items.c.sla_due_at)
# The queue page's counts per desk and its line filter. Its sort orders are sorts: an index per order would make every
# decision (open -> decided) rewrite that many more entries, for queues where sorting the open cases is quick.
Index("ix_queue_items_desk_count", queue_items.c.status, queue_items.c.desk)
Index("ix_queue_items_line", queue_items.c.status, queue_items.c.line_of_business)


# Events a committed change calls for, written in the change's transaction and deleted once the broker has them
# (services.adjuster.outbox): an adjuster's decision and its label on claims.feedback.v1 stand or fall together.
outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("topic", String(200), nullable=False),
    Column("event_key", String(200), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# FNOLs `triage serve` answered 202 for, as received: its in-process bus forgets on a crash, this does not
# (services.app.journal takes up every one without a decision on start).
inbound = Table(
    "inbound",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("payload", LargeBinary, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# The workbench's local users (services.adjuster.users): the embedded default's sign-in, beside or instead of the
# insurer's identity provider. Only argon2 hashes are kept; a disabled user stays, as the audit log names them.
users = Table(
    "users",
    metadata,
    Column("username", String(200), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("roles", String(200), nullable=False),  # comma-separated Role values
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The claims graph (services.links): entities resolved across claims, their blocking keys, and each claim's links.
link_entities = Table(
    "link_entities",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("key", String(300), nullable=False),  # kind:normalised value (the first spelling, for a fuzzy entity)
    Column("display", String(300), nullable=False),
    Column("record", Text),  # what the match model compares, as JSON: persons and addresses only
    Column("claims", Integer, nullable=False),  # how many claims carry it: 1 means there is nothing to look up
)
Index("ix_link_entities_key", link_entities.c.key, unique=True)
# Blocking keys of persons and addresses: a new spelling is compared only with the entities sharing a key.
link_blocks = Table(
    "link_blocks",
    metadata,
    Column("block", String(300), primary_key=True),  # kind-specific prefix and value: np:jane doe|62701
    Column("entity_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
)
claim_links = Table(
    "claim_links",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("entity_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("role", String(40), primary_key=True),
    Column("probability", Float, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),  # the loss date: the window is on it
)
Index("ix_claim_links_entity", claim_links.c.entity_id, claim_links.c.occurred_at)
