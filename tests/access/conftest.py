"""Fixtures for the access tests: cheap password hashing; a database with institutions and
portfolios to scope users to; and the tagged scenario of `scenario.py`, loaded once per module
on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text

import tracker.db
import tracker.users
from tests.access.scenario import load_scenario
from tests.access.seed import seed_institutions
from tests.conftest import POSTGRES_URL, _postgres_schema_url, postgres_unavailable
from tracker.db import make_engine
from tracker.migrate import upgrade

# Argon2 with tiny costs: the tests hash hundreds of times; production keeps the defaults.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracker.users, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(tracker.users, "_dummy_hash", [])


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """A migrated database with institutions north, south, east and portfolios p-ns, p-east."""
    seed_institutions(engine)
    return engine


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def scenario_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """The URL of a database holding the tagged scenario and its users (module-wide: the
    tests using it only add rows that do not disturb one another)."""
    folder = tmp_path_factory.mktemp("scenario")
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'tracker.db'}"
    else:
        why = postgres_unavailable()
        if why:
            pytest.skip(f"PostgreSQL leg skipped: no server at {POSTGRES_URL} ({why})")
        schema = f"t_access_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = _postgres_schema_url(schema)
    engine = make_engine(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tracker.users, "_hasher", CHEAP_HASHER)
        upgrade(engine)
        load_scenario(engine, Path(folder) / "workbook")
    engine.dispose()
    yield url
    cached = tracker.db._engines.pop(url, None)
    if cached is not None:
        cached.dispose()
    if schema is not None:
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
