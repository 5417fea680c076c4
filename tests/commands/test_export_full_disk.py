"""Issue 25: an export onto a full disk says which file could not be written and why, with no
traceback, and leaves no fragment (neither the target, nor the staged file beside it, nor the
spreadsheet library's temporary files). The disk fills where the writing happens: in the middle
of a sheet's rows (.xlsx) or of a CSV file."""

from __future__ import annotations

import errno
import gc
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.commands.conftest import Tracker
from tests.workbook.builders import VALID, write_csv_folder

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def loaded(tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    assert tracker("import", str(write_csv_folder(tmp_path / "in", VALID))).exit_code == 0
    # The library's temporary files go where the test can see them; so do unraisable errors.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    return unraisable


def _refused_naming(ran: Any, target: Path) -> None:
    assert ran.exit_code == 1
    assert "Traceback" not in ran.stderr and "Exception ignored" not in ran.stderr
    assert str(target) in ran.stderr and "No space left on device" in ran.stderr, ran.stderr


@SQLITE_ONLY
def test_an_xlsx_export_onto_a_full_disk_names_the_file_and_leaves_nothing(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loaded: list[Any],
    database_url: str,
) -> None:
    from openpyxl.worksheet._writer import WorksheetWriter

    written = {"rows": 0}
    original = WorksheetWriter.write_row

    def fill_up(self: WorksheetWriter, *args: Any, **kwargs: Any) -> None:
        written["rows"] += 1
        if written["rows"] > 5:
            raise FULL
        original(self, *args, **kwargs)

    monkeypatch.setattr(WorksheetWriter, "write_row", fill_up)
    out = tmp_path / "out"
    out.mkdir()
    ran = tracker("export", str(out / "all.xlsx"), "--format", "xlsx")
    _refused_naming(ran, out / "all.xlsx")
    gc.collect()
    assert loaded == []  # no half-written sheet reported an error when collected
    assert list(out.iterdir()) == []
    assert list((tmp_path / "tmp").iterdir()) == []


@SQLITE_ONLY
def test_a_csv_export_onto_a_full_disk_names_the_file_and_leaves_nothing(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loaded: list[Any],
    database_url: str,
) -> None:
    import tracker.workbook.write as write

    original = write._write_csv_file

    def fill_up(text: Any, path: Path) -> None:
        if path.name == "leadership.csv":
            path.write_text("institution,role,holder,st")
            raise FULL
        original(text, path)

    monkeypatch.setattr(write, "_write_csv_file", fill_up)
    out = tmp_path / "out"
    out.mkdir()
    ran = tracker("export", str(out / "csv"))
    _refused_naming(ran, out / "csv" / "leadership.csv")
    assert list(out.iterdir()) == []
