"""Issue 25: `alembic downgrade base` on SQLite with data in the database (the sample) works, as
`alembic` itself is run, and `tracker`'s own downgrade too; upgrading again takes the data
back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from tracker.access import local_operator
from tracker.config import PROJECT_ROOT, sample_data_path
from tracker.db import make_engine
from tracker.migrate import current_revision, downgrade, upgrade
from tracker.writes.imports.importer import import_workbook


def _with_sample(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    import_workbook(engine, sample_data_path(), actor=local_operator())
    engine.dispose()
    return url


def test_alembic_downgrade_base_with_the_sample_on_sqlite(tmp_path: Path) -> None:
    url = _with_sample(tmp_path / "tracker.db")
    alembic = Path(sys.executable).with_name("alembic")
    environment = {**os.environ, "TRACKER_DATABASE_URL": url}
    done = subprocess.run([str(alembic), "downgrade", "base"], cwd=PROJECT_ROOT,
                          env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    engine = make_engine(url)
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_tracker_downgrades_to_base_with_the_sample_and_upgrades_again(tmp_path: Path) -> None:
    engine = make_engine(_with_sample(tmp_path / "tracker.db"))
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    import_workbook(engine, sample_data_path(), actor=local_operator())
    engine.dispose()
