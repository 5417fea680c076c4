"""A small case stored through the write layer, and the people who write to it.

Northdale's records are all dated in 2024Q1 (`STORED_QUARTER`); the tests add rows dated in
2024Q2 (`NEW_QUARTER`). Eastmoor is a second institution, for scope and lock isolation.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from tests.builders import Scenario, combine
from tracker import models
from tracker.access import Actor
from tracker.db import read_session
from tracker.writes.rows import write_rows

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


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """The migrated database holding Northdale and Eastmoor (SQLite and PostgreSQL)."""
    dataset = combine(northdale(), eastmoor())
    store(engine, {name: frame for name, frame in dataset.frames.items() if len(frame)})
    return engine


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
