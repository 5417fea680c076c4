"""Source imports against the sample database: the sample workbook loaded once into an SQLite
file, copied for each test (loading it takes seconds; copying it, milliseconds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.commands.conftest import Tracker
from tracker.access import local_operator
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.writes.imports.importer import import_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
SOURCES = SAMPLE / "sources"


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    import_workbook(engine, SAMPLE, actor=local_operator())
    engine.dispose()
    return path


@pytest.fixture
def sample_url(sample_database: Path, tmp_path: Path) -> str:
    """A fresh copy of the database holding the sample workbook."""
    copy = tmp_path / "sample-copy.db"
    shutil.copyfile(sample_database, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def sample_engine(sample_url: str) -> Engine:
    engine = make_engine(sample_url)
    yield engine  # type: ignore[misc]
    engine.dispose()


@pytest.fixture
def on_sample(sample_url: str) -> Tracker:
    """`tracker …` against a copy of the sample database."""
    return Tracker(sample_url)


@pytest.fixture
def tracker(engine: object, database_url: str) -> Tracker:
    """The command line against a migrated, empty database (SQLite and PostgreSQL)."""
    return Tracker(database_url)
