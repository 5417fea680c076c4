"""Settings as data, with help text, in one place.

Every setting is read from the environment with a documented default; the CLI's `--db` wins
over `TRACKER_DATABASE_URL`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "TRACKER_DATABASE_URL",
        "",
        "SQLAlchemy URL of the database. Unset: the embedded SQLite file var/tracker.db under "
        "the project folder. A postgresql+psycopg://user@host/db URL works the same everywhere.",
    ),
    Setting(
        "TRACKER_SAMPLE_DATA",
        str(PROJECT_ROOT / "sample_data"),
        "The workbook folder that `tracker sample load` and `make run` load.",
    ),
)


def default_sqlite_path() -> Path:
    # Kept under the project folder (ignored by git) so that `make run` needs no setup.
    return PROJECT_ROOT / "var" / "tracker.db"


def database_url(override: str | None = None) -> str:
    """The database URL: `--db` if given, else TRACKER_DATABASE_URL, else the embedded file."""
    if override:
        return override
    from_env = os.environ.get("TRACKER_DATABASE_URL", "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{default_sqlite_path()}"


def sample_data_path() -> Path:
    return Path(os.environ.get("TRACKER_SAMPLE_DATA", str(PROJECT_ROOT / "sample_data")))
