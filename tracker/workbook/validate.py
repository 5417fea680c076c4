"""Validate a raw workbook: every problem, each with file, row and column, and a typed Dataset.

Decisions this module makes (users need them too: they belong in the README's workbook section):
- every cell is trimmed of surrounding whitespace (spreadsheets add it; it never means
  anything), line breaks inside a cell become LF, and rows with nothing in them are ignored;
- control characters other than tab and line breaks are a problem (no spreadsheet holds them);
- empty optional cells take the schema's default (e.g. `key_role` is true);
- keys use ASCII letters, digits, "-", "_" and "." (see `column_types.KEY_RULE`);
- a reference names a key defined in the workbook itself or already known to the caller
  (`known_keys`, e.g. the keys in the database); references into a table the workbook holds but
  that could not be read, or whose key column is missing, are not reported again;
- choices are case-sensitive; booleans are true/false, yes/no or 1/0 in any case.

Row numbers: every frame of the returned `Dataset` is indexed by the spreadsheet row number its
row came from (index name ``row``; header = row 1), so a later step (e.g. the importer refusing
a changed value without `--correct`) can still name the row: `dataset["changes"].index`.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tracker.dataset import Dataset
from tracker.workbook.checked_table import CheckedTable
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.raw import RawWorkbook
from tracker.workbook.read import read_workbook
from tracker.workbook.schema import TABLES
from tracker.workbook.table_check import check_table

# Evidence `record` names the structural change or the decision it concerns.
_RECORD_TABLES = ("changes", "decisions")


@dataclass(frozen=True)
class _Reference:
    """A column whose values must be keys of one or more tables."""

    table: str
    column: str
    targets: tuple[str, ...]


def _references() -> list[_Reference]:
    found = [
        _Reference(table.name, column.name, (column.ref,))
        for table in TABLES
        for column in table.columns
        if column.ref is not None
    ]
    found.append(_Reference("evidence", "record", _RECORD_TABLES))
    return found


def validate_workbook(
    raw: RawWorkbook,
    *,
    known_keys: Mapping[str, Set[str]] | None = None,
    known_units: Mapping[str, str] | None = None,
) -> tuple[Dataset, list[Problem]]:
    """Check every table and cell of `raw`; return the typed data set and ALL problems.

    The problems are those found while reading, then per table (in the format's order) by row
    and column. The data set holds the rows that have no problem (a table with a missing
    required column holds none), so the caller must refuse the workbook when the list is not
    empty; it is returned anyway so that a caller can inspect what was understood.
    `known_keys` maps a table name to keys that exist outside this workbook (in the database);
    `known_units` maps stored indicator keys to their units (for percent-formatted cells).
    """
    known = known_keys or {}
    checked = {
        table.name: check_table(table, raw.tables[table.name], raw.source(table.name))
        for table in TABLES
        if table.name in raw.tables
    }
    for reference in _references():
        if reference.table in checked:
            _check_reference(checked[reference.table], reference, checked, raw, known)
    _check_percent_cells(raw, checked, known_units or {})
    problems = list(raw.problems)
    for table in checked.values():
        problems.extend(table.sorted_problems())
    return Dataset({name: table.dataset_frame() for name, table in checked.items()}), problems


def validated_workbook(path: Path, *, known_keys: Mapping[str, Set[str]] | None = None) -> Dataset:
    """Read and validate the workbook at `path`; raise `WorkbookRefused` with every problem."""
    dataset, problems = validate_workbook(read_workbook(path), known_keys=known_keys)
    if problems:
        raise WorkbookRefused(problems)
    return dataset


def _defined_keys(
    target: str, checked: Mapping[str, CheckedTable], raw: RawWorkbook
) -> set[str] | None:
    """Keys the workbook defines in `target`, or None when they cannot be known."""
    if target in raw.unreadable:
        return None
    if target not in checked:
        return set()
    table = checked[target]
    if "key" not in table.present:
        return None
    return set(table.text["key"][~table.empty["key"]])


def _check_reference(
    table: CheckedTable,
    reference: _Reference,
    checked: Mapping[str, CheckedTable],
    raw: RawWorkbook,
    known: Mapping[str, Set[str]],
) -> None:
    keys: set[str] = set()
    for target in reference.targets:
        defined = _defined_keys(target, checked, raw)
        if defined is None:
            return
        keys |= defined | set(known.get(target, ()))
    column = reference.column
    values = table.text[column]
    unknown = table.usable(column) & ~values.isin(keys)
    where = " or ".join(raw.source(target) for target in reference.targets)
    beyond = ", nor already in the database" if known else ""
    table.flag(
        unknown,
        column,
        lambda value: f'"{value}" is not a key defined in {where}{beyond}',
    )


def is_percentage_unit(unit: str) -> bool:
    """Whether an indicator's unit is a percentage: "%", or a unit naming percent (e.g.
    "% of pupils", "percent", "per cent", "percentage points")."""
    text = unit.strip().lower()
    return text.startswith("%") or any(
        word in text for word in ("percent", "per cent", "percentage")
    )


def _check_percent_cells(
    raw: RawWorkbook, checked: Mapping[str, CheckedTable], known_units: Mapping[str, str]
) -> None:
    """A cell shown as a percentage (read as the number shown, 55 for 55%) is a value only
    where the indicator's unit is a percentage; anywhere else it is refused with a hint."""
    units = dict(known_units)
    if "indicators" in checked:
        indicators = checked["indicators"].text
        units.update(zip(indicators["key"], indicators["unit"], strict=True))
    for name, cells in raw.percent_cells.items():
        table = checked.get(name)
        if table is None or not cells:
            continue
        for row, column in sorted(cells):
            if row not in table.text.index or column not in table.text.columns:
                continue
            shown = table.text.at[row, column]
            if name == "indicator_values" and column == "value":
                indicator = table.text.at[row, "indicator"]
                unit = units.get(str(indicator))
                if unit is None or is_percentage_unit(unit):
                    continue  # an unknown indicator is reported by the reference check
                message = (
                    f"this cell is formatted as a percentage (it shows {shown}%) but the unit of "
                    f'"{indicator}" is "{unit}": remove the percent format and type the value '
                    "in that unit"
                )
            else:
                message = (
                    f"this cell is formatted as a percentage (it shows {shown}%): percent "
                    "formats are read as the number shown only for values of an indicator "
                    "whose unit is a percentage; remove the format and type the value"
                )
            table.flag_rows(pd.Index([row]), column, [message])
