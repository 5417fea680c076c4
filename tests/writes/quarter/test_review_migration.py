"""Migration 0008 on a database that already has quarters: submitted ones stay submitted
(locked), reopened ones become open; a reviewer can be stored afterwards (SQLite and
PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tracker.migrate import downgrade, upgrade
from tracker.writes.history.audit import now


def test_todays_submitted_quarters_stay_submitted_and_reopened_ones_are_open(
    empty_engine: Engine,
) -> None:
    upgrade(empty_engine, "0003")
    at = now()
    with empty_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO institutions (key, name, kind, version, recorded_at, recorded_by) "
            "VALUES ('northdale', 'Northdale', 'local_authority', 1, :at, 'seed')"
        ), {"at": at})
        for period, locked in (("2024Q1", True), ("2024Q2", False)):
            conn.execute(text(
                "INSERT INTO quarter_submissions (institution_id, period, locked, submitted_at, "
                "submitted_by, version, recorded_at, recorded_by) SELECT id, :p, :locked, :at, "
                "'eve', 1, :at, 'eve' FROM institutions"
            ), {"p": period, "locked": locked, "at": at})
    upgrade(empty_engine, "0008")
    with empty_engine.begin() as conn:
        states = dict(conn.execute(text("SELECT period, state FROM quarter_submissions")).all())
        conn.execute(text(
            "INSERT INTO users (name, role, disabled, version, recorded_at, recorded_by) "
            "VALUES ('rita', 'reviewer', false, 1, :at, 'seed')"
        ), {"at": at})
    assert states == {"2024Q1": "submitted", "2024Q2": "open"}
    downgrade(empty_engine, "0003")
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT role FROM users")).scalar_one() == "institution"
        locked = dict(conn.execute(text("SELECT period, locked FROM quarter_submissions")).all())
    assert {p: bool(v) for p, v in locked.items()} == {"2024Q1": True, "2024Q2": False}
