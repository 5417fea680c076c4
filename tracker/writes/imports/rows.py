"""Writing rows without a file: the dashboard's forms and tables, and any other caller.

Rows are turned into the cells a workbook would hold (the format's own spelling of numbers,
dates and booleans) and go through the same pipeline as an import (`importer`): validation,
quarter locks, permission, corrections with history, conflicts, audit; one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.workbook.cells import bool_text, date_text, number_text
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.raw import HEADER_ROW, RawWorkbook
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.history.conflicts import ExpectedVersions
from tracker.writes.imports.importer import ImportReport, require_reason, write_workbook_tables
from tracker.writes.imports.values import plain


def cell_text(value: Any) -> str:
    """A value as a workbook cell holds it ("" for missing)."""
    value = plain(value)  # numpy and pandas scalars to Python, dates to ISO text
    if value is None:
        return ""
    if isinstance(value, bool):
        return bool_text(value)
    if isinstance(value, int | float):
        return number_text(float(value))
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


def raw_from_rows(tables: Mapping[str, pd.DataFrame], *, source: str) -> RawWorkbook:
    """An in-memory workbook of these rows: strings, rows numbered 2, 3, … as on a sheet.

    Problems name the table as ``SOURCE [TABLE]`` (e.g. ``dashboard [indicator_values]``).
    """
    raw = RawWorkbook(Path(source))
    for name, frame in tables.items():
        if name not in TABLE_MAP:
            raw.problems.append(Problem(source, None, None, f"{name!r} is not a table"))
            continue
        cells = pd.DataFrame(
            {str(c): [cell_text(v) for v in frame[c]] for c in frame.columns}, dtype=object
        )
        cells.index = pd.Index(
            range(HEADER_ROW + 1, HEADER_ROW + 1 + len(frame)), dtype="int64", name="row"
        )
        raw.tables[name] = cells
        raw.sources[name] = f"{source} [{name}]"
    return raw


def write_rows(
    engine: Engine,
    tables: Mapping[str, pd.DataFrame],
    *,
    actor: Actor,
    correct: bool = False,
    reason: str | None = None,
    expected_versions: ExpectedVersions | None = None,
    source: str = "dashboard",
    dry_run: bool = False,
) -> ImportReport:
    """Write rows of workbook tables (table name → frame with the workbook's column names)
    all or nothing, through the import pipeline.

    Raises `WorkbookRefused` (problems naming table, row and column: invalid values, locked
    quarters, a changed value without `correct`), `PermissionRefused`, or `ConflictRefused`
    when a record in `expected_versions` (table → record key → version the user saw; 0 = the
    user saw no such record) was written by someone else since. Each row written gets its own
    audit entry.
    """
    require_reason(correct, reason, source=source)
    raw = raw_from_rows(tables, source=source)
    if raw.problems:
        raise WorkbookRefused(raw.problems)
    return write_workbook_tables(
        engine, raw, actor=actor, source=source, dry_run=dry_run, correct=correct,
        reason=reason, expected_versions=expected_versions,
    )
