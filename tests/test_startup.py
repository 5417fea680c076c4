"""`tracker --help` starts like a bare Typer app: the heavy libraries load only when a command
needs them (issue 11, "instant start"). Checked in a fresh interpreter, through sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "numpy", "sqlalchemy", "alembic", "statsmodels", "streamlit", "scipy")

_PROBE = """
import json, sys
from tracker.cli import app
try:
    app(sys.argv[1:], prog_name="tracker")
except SystemExit:
    pass
heavy = {heavy!r}
sys.stderr.write("\\n" + json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def _heavy_modules_after(*args: str, cwd: Path) -> list[str]:
    ran = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )
    loaded: list[str] = json.loads(ran.stderr.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "args",
    [("--help",), ("analyse", "--help"), ("results", "refresh", "--help"), ("db", "--help")],
    ids=" ".join,
)
def test_help_imports_no_heavy_library(args: tuple[str, ...], tmp_path: Path) -> None:
    assert _heavy_modules_after(*args, cwd=tmp_path) == []


def test_db_current_imports_neither_pandas_nor_statsmodels(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    loaded = _heavy_modules_after("db", "current", "--db", url, cwd=tmp_path)
    assert "sqlalchemy" in loaded  # the probe really ran the command
    assert not {"pandas", "numpy", "statsmodels", "streamlit"} & set(loaded)


def _migrated(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    subprocess.run(
        [sys.executable, "-m", "tracker.cli", "db", "upgrade", "--db", url],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    return url


def test_fresh_analysis_without_its_does_not_import_statsmodels(tmp_path: Path) -> None:
    url = _migrated(tmp_path)
    loaded = _heavy_modules_after(
        "analyse", "--fresh", "--format", "json", "--db", url, cwd=tmp_path
    )
    assert "pandas" in loaded
    assert "statsmodels" not in loaded


def test_reading_fresh_stored_results_imports_neither_pandas_nor_alembic(tmp_path: Path) -> None:
    url = _migrated(tmp_path)
    for format in ("json", "table"):
        loaded = _heavy_modules_after("analyse", "--format", format, "--db", url, cwd=tmp_path)
        assert loaded == ["sqlalchemy"]
