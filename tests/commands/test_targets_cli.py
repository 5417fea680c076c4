"""Targets through import, analysis and export (SQLite and PostgreSQL): the exported
targets.csv and persistence_targets.csv hold exactly the imported rows, a second round trip is
byte-identical, and the analysis of the stored targets is the analysis of the files."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.commands.conftest import SAMPLE, Tracker
from tracker.access import local_operator
from tracker.analysis.targets import target_results
from tracker.db import read_session
from tracker.scope import readable_dataset
from tracker.workbook.validate import validated_workbook

TARGET_FILES = ("targets.csv", "persistence_targets.csv")
AS_OF = dt.date(2026, 12, 1)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row.get("value"):
            row["value"] = f"{float(row['value']):g}"
    return sorted(rows, key=lambda r: sorted(r.items()))


@pytest.mark.slow  # imports the whole sample
def test_targets_round_trip_through_import_and_export(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(SAMPLE, source)
    (source / "README.md").unlink()
    assert tracker("import", str(source)).exit_code == 0
    first = tmp_path / "first"
    assert tracker("export", str(first)).exit_code == 0
    for name in TARGET_FILES:
        assert _rows(first / name) == _rows(source / name), name
    again = tracker("import", str(first), "--dry-run")
    assert again.exit_code == 0, again.stderr
    second = tmp_path / "second"
    assert tracker("export", str(second)).exit_code == 0
    for name in TARGET_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    with read_session(engine) as session:
        stored = target_results(readable_dataset(session, local_operator()), AS_OF)
    from_files = target_results(validated_workbook(source), AS_OF)
    assert list(stored["sentence"]) == list(from_files["sentence"])
    assert set(stored["verdict"]) == {"met", "not_met", "not_yet_due"}


def test_a_target_with_an_unknown_kind_is_refused_with_its_row(
    tracker: Tracker, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(SAMPLE, source)
    (source / "README.md").unlink()
    path = source / "targets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",per_period,", ",yearly,", 1),
                    encoding="utf-8")
    refused = tracker("import", str(source))
    assert refused.exit_code == 1
    assert 'targets.csv, row 2, column "kind"' in refused.stderr
