"""Fixtures: real databases (an SQLite file and, where a server answers, PostgreSQL).

Every test that takes `engine` runs twice: on SQLite and on PostgreSQL. The PostgreSQL leg uses
TRACKER_TEST_POSTGRES_URL (default: the server these machines run on 127.0.0.1:5432), with a
fresh schema per test. Where no server answers, that leg is skipped and the run says so at the
end — unless TRACKER_REQUIRE_POSTGRES is set (CI), when it fails instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.kinds import mark_by_needs
from tracker.db import make_engine
from tracker.migrate import upgrade

POSTGRES_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_postgres_state: dict[str, str | None] = {}


def postgres_unavailable() -> str | None:
    """None when the PostgreSQL server answers; otherwise why not."""
    if "why" not in _postgres_state:
        try:
            probe = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
            with probe.connect() as conn:
                conn.execute(text("select 1"))
            probe.dispose()
            _postgres_state["why"] = None
        except Exception as error:  # any failure to connect means: no server for this leg
            _postgres_state["why"] = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return _postgres_state["why"]


def _postgres_schema_url(schema: str) -> str:
    url = make_url(POSTGRES_URL)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@contextmanager
def fresh_postgres_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema, dropped afterwards; its URL is
    `_postgres_schema_url(name)`. Skips (or, with TRACKER_REQUIRE_POSTGRES, fails) without a
    server."""
    why = postgres_unavailable()
    if why:
        if os.environ.get("TRACKER_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here but unavailable at {POSTGRES_URL}: {why}")
        pytest.skip(f"PostgreSQL leg skipped: no server at {POSTGRES_URL} ({why})")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema; its URL is `_postgres_schema_url(name)`."""
    with fresh_postgres_schema() as schema:
        yield schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database's URL, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    schema = request.getfixturevalue("postgres_schema")
    return _postgres_schema_url(schema)


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """A migrated, empty database (SQLite and PostgreSQL)."""
    upgrade(empty_engine)
    return empty_engine


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    why = _postgres_state.get("why")
    if why:
        terminalreporter.write_line(
            f"PostgreSQL leg SKIPPED: no server at {POSTGRES_URL} ({why}). "
            "Set TRACKER_TEST_POSTGRES_URL to run it.",
            yellow=True,
            bold=True,
        )
    elif "why" in _postgres_state:
        terminalreporter.write_line(
            f"PostgreSQL leg ran against {make_url(POSTGRES_URL).render_as_string()}."
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what each test needs (a database, a child process, a browser) from its imports
    (`tests/kinds.py`), for the inner loop's selection (`make check`)."""
    mark_by_needs(items)
