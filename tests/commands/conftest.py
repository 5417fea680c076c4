"""Running `tracker` commands in-process, as a user would type them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@dataclass
class Ran:
    exit_code: int
    stdout: str
    stderr: str


class Tracker:
    """`tracker ARGS --db URL` against one database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, stdin: str | None = None) -> Ran:
        result = self.runner.invoke(app, [*args, "--db", self.url], input=stdin)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Ran(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def tracker(engine: object, database_url: str) -> Tracker:
    """The command line against a migrated, empty database (SQLite and PostgreSQL)."""
    return Tracker(database_url)
