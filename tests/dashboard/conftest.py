"""Databases for the dashboard tests: the sample, an empty one, and one with no schema.

The sample is imported once per test session (through the write layer, as `tracker sample
load` does) into an SQLite file; tests that write take their own copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import DASHBOARD  # noqa: F401 - the pages' tests import it from here
from tracker.access import local_operator
from tracker.config import sample_data_path
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.writes.imports.importer import import_workbook


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file holding the sample workbook, migrated and imported once."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    engine = make_engine(sqlite_url(path))
    upgrade(engine)
    import_workbook(engine, sample_data_path(), actor=local_operator())
    engine.dispose()
    return path


@pytest.fixture
def sample_url(sample_file: Path) -> str:
    """The shared sample database (read only: do not write to it)."""
    return sqlite_url(sample_file)


@pytest.fixture
def writable_sample_url(sample_file: Path, tmp_path: Path) -> str:
    """A private copy of the sample database, for tests that write."""
    copy = tmp_path / "sample-copy.db"
    shutil.copyfile(sample_file, copy)
    return sqlite_url(copy)


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A migrated database with nothing in it."""
    url = sqlite_url(tmp_path / "empty.db")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url


@pytest.fixture
def unmigrated_url(tmp_path: Path) -> str:
    """A database file with no tracker schema at all."""
    return sqlite_url(tmp_path / "bare.db")
