"""Alembic environment: the URL comes from the caller (tracker db upgrade / --db) or
TRACKER_DATABASE_URL; SQLite uses batch mode so that constraints can be altered."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tracker.config import database_url
from tracker.db import make_engine
from tracker.migrate import foreign_keys_deferred, record_tracker_version
from tracker.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _run(connection: Connection) -> None:
    with context.begin_transaction():
        context.run_migrations()
        record_tracker_version(connection, context.get_context().get_current_revision())


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    try:
        # `alembic upgrade|downgrade` itself: on SQLite, foreign keys are checked after the
        # schema changed, not table by table (downgrading with data drops referred-to tables).
        with engine.connect() as conn, foreign_keys_deferred(conn):
            _configure(conn)
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
