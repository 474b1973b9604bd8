"""Alembic environment: migrations run on the connection services.core.database.migrate passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from services.core.tables import metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # `alembic` from the command line (e.g. `alembic revision`): TRIAGE_DATABASE_URL
        from services.core.settings import TriageSettings

        with create_engine(TriageSettings().resolved_database_url()).begin() as conn:
            _run_on(conn)
    else:
        _run_on(connection)


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
    )
    with context.begin_transaction():
        context.run_migrations()


run()
