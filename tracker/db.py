"""Engines and sessions: the embedded SQLite file and PostgreSQL through the same code.

SQLite is configured so that it behaves like a real database: foreign keys enforced, WAL so
that the dashboard can read while an import writes, a busy timeout instead of instant "database
is locked" errors, and write transactions that take the write lock at BEGIN (BEGIN IMMEDIATE)
so that two writers never interleave a read-modify-write.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker.config import database_url

# Execution option that marks a connection as one that will write.
WRITE_OPTION = "tracker_write"
_engines: dict[str, Engine] = {}


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """A new engine for `url`, with the SQLite pragmas set on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A plain path gets its folder made; a `file:` URI (uri=true) is opened as given: read
        # as a path it would make a folder named "file:" where the command runs.
        if parsed.database and parsed.database != ":memory:" and not (
            parsed.database.startswith("file:")
        ):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module, so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # A read-only file (a copy handed out for analysis, a read-only mount): switching the
        # journal would be a write. Reads work in whatever mode the file is in; a write is
        # refused by SQLite ("attempt to write a readonly database").
        with contextlib.suppress(sqlite3.OperationalError):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """The shared engine for a URL (default: the configured database)."""
    resolved = database_url(url)
    if resolved not in _engines:
        _engines[resolved] = make_engine(resolved)
    return _engines[resolved]


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; its transaction is rolled back at the end."""
    with engine.connect() as conn, Session(bind=conn) as session:
        try:
            yield session
        finally:
            session.rollback()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One user action = one transaction: committed when the block ends, rolled back on error."""
    with (
        engine.connect().execution_options(**{WRITE_OPTION: True}) as conn,
        Session(bind=conn) as session,
        session.begin(),
    ):
        yield session
