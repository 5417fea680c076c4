"""The plausibility warnings of an import are those of the definition, value by value
(`plausibility.value_warnings` against the institution's own earlier values), found in one
vectorised pass instead of one pass over the history per value: planted jumps, a series that
never changed and then did, values out of range, and everything else left quiet."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from tracker.access import local_operator
from tracker.analysis.plausibility import value_warnings
from tracker.db import read_session
from tracker.generate import write_sample
from tracker.queries import read_table
from tracker.writes.imports import plausible
from tracker.writes.imports.importer import import_workbook
from tracker.writes.imports.plausible import ranges, series_before


def _plant(path: Path) -> None:
    """Jumps in some series, a flat series that then moves, and a value beyond 100%."""
    file = path / "indicator_values.csv"
    with file.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    series: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        series.setdefault((row["institution"], row["indicator"]), []).append(row)
    for number, own in enumerate(series.values()):
        if number % 5 == 0 and len(own) > 9:
            own[9]["value"] = str(float(own[9]["value"]) * 6 + 40)
        if number == 3:
            for row in own[:8]:
                row["value"] = "50"
            own[8]["value"] = "51"
        if number == 7:
            own[-1]["value"] = "250"
    with file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _by_definition(engine: Engine) -> set[str]:
    with read_session(engine) as session:
        values = read_table(session, "indicator_values")
        limits = ranges(read_table(session, "indicators"))
    found = set()
    for row in values.to_dict("records"):
        history = series_before(values, row["institution"], row["indicator"], row["period"])
        for doubt in value_warnings(row["value"], limits[row["indicator"]], history):
            found.add(f"{row['institution']} {row['period']}: {doubt.message}")
    return found


@pytest.mark.parametrize("chunk", [2_000, 5], ids=["one chunk", "chunks of 5 institutions"])
def test_an_imports_warnings_are_the_definitions_value_by_value(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(plausible, "_CHUNK_INSTITUTIONS", chunk)
    workbook = tmp_path / "workbook"
    write_sample(workbook, institutions=12, years=4, seed=3)
    _plant(workbook)
    report = import_workbook(engine, workbook, actor=local_operator())
    warned = {str(doubt).split(": ", 1)[1] for doubt in report.warnings}
    expected = _by_definition(engine)
    assert any("is a jump of" in text for text in expected)
    assert any("above the plausible maximum" in text for text in expected)
    assert warned == expected
    assert len(report.warnings) == len(expected)


def test_a_series_that_never_changed_is_not_flagged_when_it_moves() -> None:
    from tracker.analysis.plausibility import indicator_range

    flat = [50.0] * 8
    assert value_warnings(51.0, indicator_range("Trust", "%"), flat) == []
    assert pd.Series(flat).diff().std() == 0


def test_a_correction_is_checked_against_the_stored_values(
    engine: Engine, tmp_path: Path
) -> None:
    workbook = tmp_path / "workbook"
    write_sample(workbook, institutions=4, years=4, seed=5)
    import_workbook(engine, workbook, actor=local_operator())
    with (workbook / "indicator_values.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    row = dict(rows[12])
    row["value"] = str(float(row["value"]) * 8 + 60)
    folder = tmp_path / "correction"
    folder.mkdir()
    with (folder / "indicator_values.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    report = import_workbook(engine, folder, actor=local_operator(), correct=True,
                             reason="a test correction")
    warned = {str(doubt).split(": ", 1)[1] for doubt in report.warnings}
    assert any(
        text.startswith(f"{row['institution']} {row['period']}: ") and "is a jump of" in text
        for text in warned
    )
    assert warned <= _by_definition(engine)
