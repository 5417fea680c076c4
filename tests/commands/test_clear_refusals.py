"""Issue 16, clear refusals: a database from a newer tracker says what is needed (no Alembic
traceback, no advice that fails); a CSV cell longer than the csv module's default limit is
read, and one beyond the tool's limit is described as what it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

import tracker.db as tracker_db
from tests.commands.conftest import Tracker
from tests.workbook.builders import VALID, read_and_validate, write_csv_folder
from tracker.workbook import csv_reader

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
@pytest.mark.parametrize("command", [("db", "upgrade"), ("analyse",), ("export", "x")])
def test_a_database_from_a_newer_tracker_says_which_version_is_needed(
    tracker: Tracker, engine: Engine, command: tuple[str, ...]
) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    ran = tracker(*command)
    assert ran.exit_code == 1
    assert "Traceback" not in ran.stderr and "Can't locate revision" not in ran.stderr
    assert "schema revision 0042, which a newer version of tracker made" in ran.stderr
    assert "newer than 0.1.0" in ran.stderr
    assert "Run `tracker db upgrade`" not in ran.stderr


def test_a_long_csv_cell_is_read_whole(tmp_path: Path) -> None:
    note = "n" * 200_000  # over the csv module's default limit of 131,072 characters
    folder = write_csv_folder(
        tmp_path / "wb", {"decisions": VALID["decisions"].replace("£40k a year", note)}
    )
    dataset, problems = read_and_validate(folder)
    assert problems == []
    assert dataset["decisions"]["cost_note"].iloc[0] == note


def test_a_cell_beyond_the_limit_is_described_as_too_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_reader, "CSV_FIELD_LIMIT", 1000)
    import csv

    previous = csv.field_size_limit(1000)
    try:
        folder = write_csv_folder(
            tmp_path / "wb", {"decisions": VALID["decisions"].replace("£40k a year", "n" * 5000)}
        )
        _dataset, problems = read_and_validate(folder)
    finally:
        csv.field_size_limit(previous)
    [problem] = problems
    assert problem.file == "decisions.csv" and problem.row == 2
    assert "longer than 1,000 characters, the most a cell may hold" in problem.message


@SQLITE_ONLY
def test_a_read_only_database_can_still_be_analysed(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    import sqlite3

    assert tracker("import", str(write_csv_folder(tmp_path / "wb", {}))).exit_code == 0
    engine.dispose()
    cached = tracker_db._engines.pop(tracker.url, None)
    if cached is not None:
        cached.dispose()
    path = tracker.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as plain_connection:  # as a copy handed out would be
        plain_connection.execute("PRAGMA journal_mode=DELETE")
    read_only = Tracker(f"sqlite:///file:{path}?mode=ro&uri=true")
    for command in (("analyse",), ("analyse", "--format", "json"), ("report",)):
        ran = read_only(*command)
        assert ran.exit_code == 0, (command, ran.stderr)
        assert "northdale-council" in ran.stdout or "Northdale" in ran.stdout
    refused = read_only("import", str(tmp_path / "wb"), "--correct", "--reason", "x")
    assert "Traceback" not in refused.stderr


@SQLITE_ONLY
def test_upgrading_a_database_holding_a_date_outside_the_domain_says_where(
    empty_engine: Engine, database_url: str
) -> None:
    from tracker.migrate import upgrade

    upgrade(empty_engine, "0003")
    with empty_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO institutions (key, name, kind, version, recorded_by, recorded_at) "
            "VALUES ('a', 'A', 'school', 1, '', CURRENT_TIMESTAMP)"
        ))
        conn.execute(text(
            "INSERT INTO decisions (key, institution_id, date, title, reverses_earlier, "
            "because_of_community, cost, version, recorded_by, recorded_at) "
            "VALUES ('d', 1, '2193-06-08', 'T', 0, 0, 'none', 1, '', CURRENT_TIMESTAMP)"
        ))
    empty_engine.dispose()
    ran = Tracker(database_url)("db", "upgrade")
    assert ran.exit_code == 1 and "Traceback" not in ran.stderr
    assert "decisions.date: 1 rows" in ran.stderr and "Nothing was changed" in ran.stderr


@SQLITE_ONLY
@pytest.mark.parametrize("command", [("db", "upgrade"), ("analyse",), ("export", "x")])
def test_a_database_migrated_by_a_newer_tracker_names_that_version(
    tracker: Tracker, engine: Engine, command: tuple[str, ...]
) -> None:
    # what tracker 0.3.1 leaves behind: its own revision, and its version recorded beside it
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042'"))
        conn.execute(text(
            "INSERT INTO tracker_schema_versions (revision, tracker_version, migrated_at) "
            "VALUES ('0042', '0.3.1', '2027-01-01 00:00:00')"
        ))
    ran = tracker(*command)
    assert ran.exit_code == 1
    assert "Traceback" not in ran.stderr
    assert (
        "this database was migrated by tracker 0.3.1; install that version or newer"
        in " ".join(ran.stderr.lower().split())
    )
    assert "newer than 0.1.0" not in ran.stderr
    # `db current` describes it rather than refusing
    current = tracker("db", "current")
    assert current.exit_code == 0 and "behind" not in current.stdout
    assert "migrated by tracker 0.3.1; install that version or newer" in " ".join(
        current.stdout.split()
    )


def test_every_upgrade_records_the_tracker_version_that_made_it(engine: Engine) -> None:
    from tracker import __version__
    from tracker.migrate import file_head

    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT revision, tracker_version FROM tracker_schema_versions")
        ).all()
    assert (file_head(), __version__) in [tuple(r) for r in rows]
