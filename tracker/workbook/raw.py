"""What the reader hands to the validator: every table as strings, nothing interpreted yet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from tracker.workbook.problems import Problem

HEADER_ROW = 1


@dataclass
class RawWorkbook:
    """The tables of a workbook as read, before validation.

    - `tables`: table name → a frame of `str` cells (`dtype=str`, an empty cell is ""), one
      column per header name as written (trimmed of surrounding spaces). Its index, named
      ``row``, is the row number a spreadsheet shows for each row (header = row 1), so every
      later problem can name the row. Rows that could not be read (ragged rows) are left out
      and reported in `problems`.
    - `sources`: table name → the label that names it in messages (``institutions.csv`` or
      ``workbook.xlsx [institutions]``).
    - `problems`: what was wrong while reading (files, encodings, headers, ragged rows).
    - `unreadable`: tables present in the workbook but not readable at all (e.g. undecodable
      bytes): the validator does not report references to them as unknown.
    - `percent_cells`: table name → (row, column) of `.xlsx` cells formatted as percentages,
      whose text is the number shown (55 for 0.55 shown as 55%); the validator accepts them
      only where the indicator's unit is a percentage.
    """

    path: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    percent_cells: dict[str, set[tuple[int, str]]] = field(default_factory=dict)

    def source(self, table: str) -> str:
        """The label of a table in messages, also for a table the workbook does not hold."""
        if table in self.sources:
            return self.sources[table]
        if self.path.suffix.lower() == ".xlsx":
            return f"{self.path.name} [{table}]"
        return f"{table}.csv"


def header_columns(names: Sequence[str], label: str) -> tuple[list[int], list[Problem]]:
    """Positions of the usable header names, and the problems of the others.

    A blank name, or a name that repeats an earlier one, is a problem (the later copy is left
    out, so its cells cannot silently override the first).
    """
    keep: list[int] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for position, name in enumerate(names):
        letter = get_column_letter(position + 1)
        if not name:
            problems.append(
                Problem(label, HEADER_ROW, None, f"column {letter} has no name in the header row")
            )
        elif name in seen:
            first = get_column_letter(seen[name] + 1)
            problems.append(
                Problem(
                    label,
                    HEADER_ROW,
                    name,
                    f"the header names this column twice (columns {first} and {letter})",
                )
            )
        else:
            seen[name] = position
            keep.append(position)
    return keep, problems


def frame_from_columns(
    names: Sequence[str], columns: pd.DataFrame, rows: Sequence[int], keep: list[int]
) -> pd.DataFrame:
    """The string frame of the kept header positions, indexed by spreadsheet row number."""
    # Selecting every column would copy ten million rows for nothing.
    frame = columns if keep == list(range(columns.shape[1])) else columns.iloc[:, keep]
    frame.columns = pd.Index([names[position] for position in keep], dtype=object)
    # A range of row numbers stays a RangeIndex: no list of ten million integers.
    index = pd.RangeIndex(rows.start, rows.stop) if isinstance(rows, range) else list(rows)
    frame.index = pd.Index(index, dtype="int64", name="row")
    return frame
