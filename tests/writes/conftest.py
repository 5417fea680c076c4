"""A small case stored through the write layer, and the people who write to it.

Northdale's records are all dated in 2024Q1 (`STORED_QUARTER`); the tests add rows dated in
2024Q2 (`NEW_QUARTER`). Eastmoor is a second institution, for scope and lock isolation.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from tests.builders import Scenario, combine
from tests.conftest import POSTGRES_URL, _postgres_schema_url, postgres_unavailable
from tracker import models
from tracker.access import Actor
from tracker.db import make_engine, read_session
from tracker.migrate import upgrade
from tracker.writes.imports.rows import write_rows

STORED_QUARTER = "2024Q1"
NEW_QUARTER = "2024Q2"

ADMIN = Actor("ana", role="admin")
OTHER_ADMIN = Actor("bea", role="admin")
EVALUATOR = Actor("eve", role="evaluator", institutions=frozenset({"northdale"}))
FUNDER = Actor("fay", role="funder", portfolios=frozenset({"p1"}))


def northdale() -> Scenario:
    return (
        Scenario("northdale")
        .indicator("trust")
        .values("trust", STORED_QUARTER, [61.0])
        .tenure("chief_executive", "Chief executive (first holder)", "2024-01-15")
        .change("c1", adopted="2024-01-10", title="Revised hiring criteria")
        .status("c1", "2024-02-01", "in_force")
        .decision("d1", "2024-02-10", title="Budget panel")
        .observation(STORED_QUARTER, narrative="A quarter of listening.")
        .factor("austerity", "2024-01-15")
        .evidence("e1", "2024-03-01", title="Peer review")
        .diagnostics("2024-03-31", succession_plan=False)
    )


def eastmoor() -> Scenario:
    return Scenario("eastmoor").values("trust", STORED_QUARTER, [55.0])


def store(engine: Engine, scenario_rows: dict[str, pd.DataFrame], actor: Actor = ADMIN) -> None:
    write_rows(engine, scenario_rows, actor=actor, source="seed")


def seed(engine: Engine) -> None:
    dataset = combine(northdale(), eastmoor())
    store(engine, {name: frame for name, frame in dataset.frames.items() if len(frame)})


# Migrating a database takes seconds on PostgreSQL; these tests need hundreds of fresh copies
# of the same small case. So each module migrates once per database: SQLite tests copy a
# seeded file, PostgreSQL tests empty the tables of a migrated schema and seed it again.
@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def postgres_module_url() -> Iterator[str]:
    why = postgres_unavailable()
    if why:
        if os.environ.get("TRACKER_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here but unavailable: {why}")
        pytest.skip(f"PostgreSQL leg skipped: {why}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_schema_url(schema)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _emptied(url: str) -> Engine:
    # DELETE, children first: on tables this small it is much quicker than TRUNCATE.
    engine = make_engine(url)
    with engine.begin() as conn:
        for table in reversed(models.Base.metadata.sorted_tables):
            conn.execute(table.delete())
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database holding Northdale and Eastmoor, fresh for each test (SQLite and
    PostgreSQL)."""
    if request.param == "sqlite":
        copy = tmp_path / "seeded.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), copy)
        engine = make_engine(f"sqlite:///{copy}")
    else:
        engine = _emptied(request.getfixturevalue("postgres_module_url"))
        seed(engine)
    yield engine
    engine.dispose()


def count(engine: Engine, model: Any, **where: Any) -> int:
    with read_session(engine) as session:
        stmt = select(func.count()).select_from(model)
        for column, value in where.items():
            stmt = stmt.where(getattr(model, column) == value)
        return int(session.scalar(stmt) or 0)


def audit(engine: Engine, action: str | None = None) -> list[models.AuditEntry]:
    with read_session(engine) as session:
        stmt = select(models.AuditEntry).order_by(models.AuditEntry.id)
        if action:
            stmt = stmt.where(models.AuditEntry.action == action)
        entries = list(session.scalars(stmt))
        session.expunge_all()
        return entries
