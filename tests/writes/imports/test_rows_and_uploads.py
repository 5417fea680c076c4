"""Rows written without a file become the cells a workbook would hold; an uploaded workbook is
saved as files and previewed (a dry run) before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from tests.writes.conftest import ADMIN, audit
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.imports.importer import import_workbook
from tracker.writes.imports.rows import cell_text, raw_from_rows, write_rows
from tracker.writes.imports.uploads import preview_changes, save_upload


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""), (np.nan, ""), (pd.NaT, ""), (True, "true"), (np.bool_(False), "false"),
        (12.0, "12"), (np.float64(0.1), "0.1"), (3, "3"), (dt.date(2024, 5, 1), "2024-05-01"),
        (pd.Timestamp("2024-05-01"), "2024-05-01"), ("Budget panel", "Budget panel"),
    ],
)
def test_a_value_becomes_the_cell_a_workbook_holds(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_rows_are_numbered_as_on_a_sheet_and_named_by_their_source() -> None:
    raw = raw_from_rows(
        {"decisions": pd.DataFrame([{"key": "d1"}, {"key": "d2"}])}, source="dashboard"
    )
    assert list(raw.tables["decisions"].index) == [2, 3]
    assert raw.source("decisions") == "dashboard [decisions]"


def test_an_unknown_table_is_refused(seeded: Engine) -> None:
    with pytest.raises(WorkbookRefused, match="'decisionz' is not a table"):
        write_rows(seeded, {"decisionz": pd.DataFrame([{"key": "d1"}])}, actor=ADMIN)


def test_an_upload_is_one_xlsx_or_csv_files(tmp_path: Path) -> None:
    assert save_upload([("book.xlsx", b"x")], tmp_path / "a") == tmp_path / "a" / "book.xlsx"
    folder = save_upload([("decisions.csv", b"key\n"), ("changes.csv", b"key\n")], tmp_path / "b")
    assert sorted(p.name for p in folder.iterdir()) == ["changes.csv", "decisions.csv"]
    with pytest.raises(WorkbookRefused):
        save_upload([("book.xlsx", b"x"), ("decisions.csv", b"key\n")], tmp_path / "c")


def test_the_preview_lists_new_and_corrected_records_and_writes_nothing(
    seeded: Engine, tmp_path: Path
) -> None:
    folder = save_upload(
        [("indicator_values.csv",
          b"institution,indicator,period,value\n"
          b"northdale,trust,2024Q1,62\nnorthdale,trust,2024Q2,64\n")],
        tmp_path / "upload",
    )
    entries = len(audit(seeded))
    report = import_workbook(seeded, folder, actor=ADMIN, dry_run=True, correct=True,
                             reason="survey re-weighted", source="upload of values.csv")
    preview = preview_changes(report)
    assert preview.to_dict("records") == [
        {"table": "indicator_values", "record": "northdale|trust|2024Q1", "what": "correct",
         "change": "value: 61 → 62"},
        {"table": "indicator_values", "record": "northdale|trust|2024Q2", "what": "new",
         "change": ""},
    ]
    assert len(audit(seeded)) == entries
    import_workbook(seeded, folder, actor=ADMIN, correct=True, reason="survey re-weighted",
                    source="upload of values.csv")
    assert audit(seeded, "import")[-1].detail["source"] == "upload of values.csv"  # type: ignore[index]
