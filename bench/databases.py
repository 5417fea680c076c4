"""Fresh databases for a benchmark run: an SQLite file, or a PostgreSQL schema of its own.

Each measured database is created empty and migrated by the product's own migrations, so the
benchmark measures the schema users get (its indexes, constraints and triggers included).
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tracker.db import make_engine
from tracker.migrate import upgrade

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class BenchDatabase:
    """One database: its SQLAlchemy URL, and how to open it through the bare DB-API."""

    kind: str  # "sqlite" or "postgres"
    url: str
    sqlite_path: Path | None = None
    schema: str | None = None
    server_url: str | None = None

    def dbapi_connect(self) -> Any:
        """A DB-API connection with the settings the product's engine uses (no SQLAlchemy)."""
        if self.kind == "sqlite":
            assert self.sqlite_path is not None
            # The product's pragmas (tracker.db), so that the floor runs under the same rules.
            conn = sqlite3.connect(self.sqlite_path, isolation_level=None, timeout=30)
            for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
                conn.execute(f"PRAGMA {pragma}")
            return conn
        import psycopg

        assert self.server_url is not None
        conninfo = make_url(self.server_url).set(drivername="postgresql")
        return psycopg.connect(
            conninfo.render_as_string(hide_password=False), options=f"-csearch_path={self.schema}"
        )


def fresh_database(kind: str, *, workdir: Path, label: str, postgres_url: str) -> BenchDatabase:
    """A new, migrated, empty database named after `label`."""
    if kind == "sqlite":
        path = workdir / f"{label}.db"
        database = BenchDatabase("sqlite", f"sqlite:///{path}", sqlite_path=path)
        drop_database(database)  # a file left by an interrupted run
    elif kind == "postgres":
        schema = f"bench_{label.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(postgres_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
        database = BenchDatabase(
            "postgres",
            url.render_as_string(hide_password=False),
            schema=schema,
            server_url=postgres_url,
        )
    else:
        raise ValueError(f"unknown database kind {kind!r}: use sqlite or postgres")
    engine = make_engine(database.url)
    upgrade(engine)
    engine.dispose()
    return database


def drop_database(database: BenchDatabase) -> None:
    """Remove what `fresh_database` made."""
    if database.sqlite_path is not None:
        for path in (database.sqlite_path, Path(f"{database.sqlite_path}-wal"),
                     Path(f"{database.sqlite_path}-shm")):
            path.unlink(missing_ok=True)
    if database.schema is not None and database.server_url is not None:
        admin = create_engine(database.server_url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
        admin.dispose()


def postgres_version(postgres_url: str) -> str:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()
