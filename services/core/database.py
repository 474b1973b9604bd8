"""Engines and migrations: every database connection of the project is made here.

The schema is created and upgraded by the alembic migrations in services/core/migrations/, run when
a store opens. Several services may start at once against one database, so an upgrade holds a lock
for its whole transaction: SQLite's write lock (`BEGIN IMMEDIATE`), PostgreSQL's advisory lock. The
first process migrates; the others wait, then find the schema at head and do nothing.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the tables create_all makes; a database of them without migration history is stamped with it
_MIGRATION_LOCK = 0x7472696167  # any constant, the same in every process ("triag")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL and a busy timeout so several processes can share them."""
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, pool_pre_ping=not sqlite)  # a SQLite file has no connection to lose
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def transaction(engine: Engine, conn: Connection | None = None) -> Iterator[Connection]:
    """`conn` when the caller has a transaction open (its writes commit with the caller's), else a new one."""
    if conn is not None:
        yield conn
        return
    with engine.begin() as own:
        yield own


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction. On a SQLite file, writers first queue on an exclusive lock of a file beside it.

    SQLite's own wait for its write lock (the busy timeout) sleeps and looks again, up to 100 ms a turn, so a
    waiting writer can sleep on well after the lock is freed; a writer blocked on the lock file wakes as soon as
    it is let go (threads of one process queue too: each takes the lock on its own descriptor). Writers that do
    not come through here still get SQLite's lock (and its busy timeout): this only orders the ones that do.
    """
    with _writers_queue(engine), engine.begin() as conn:
        yield conn


@contextmanager
def _writers_queue(engine: Engine) -> Iterator[None]:
    """Hold the lock file beside `engine`'s SQLite database file; nothing to hold for any other database."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    fd = os.open(f"{database}-writers", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # blocks without holding the GIL; closing the descriptor lets go
        yield
    finally:
        os.close(fd)


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema; safe when many processes call it at once."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        # Let us begin the transaction ourselves, taking the write lock before reading the version.
        event.listen(engine, "connect", _sqlite_manual_transactions)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        for attempt in range(5):
            try:
                with engine.begin() as conn:
                    if engine.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                    _upgrade(conn)
                return
            except OperationalError as exc:
                # SQLite refuses a lock upgrade at once, without waiting, when waiting could deadlock.
                if "database is locked" not in str(exc).lower() or attempt == 4:
                    raise
    finally:
        engine.dispose()


def alembic_config(conn: Connection | None = None) -> Config:
    """Alembic's configuration for our migrations, bound to `conn` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def _upgrade(conn: Connection) -> None:
    config = alembic_config(conn)
    tables = set(inspect(conn).get_table_names())
    if "receipts" in tables and "alembic_version" not in tables:
        command.stamp(config, BASELINE)  # made by create_all, without migration history
    command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Several service processes share one SQLite file on a laptop: WAL lets readers and a writer coexist.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first, so switching to WAL waits for a busy database too
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_manual_transactions(dbapi_connection: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    dbapi_connection.isolation_level = None  # pysqlite would otherwise begin (deferred) on its own
