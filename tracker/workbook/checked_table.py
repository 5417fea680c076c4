"""One table of a raw workbook as it is being checked (`CheckedTable`): its trimmed text, typed
columns, the problems found and the rows rejected, and how a check flags a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from tracker.workbook.column_types import (
    ParsedColumn,
)
from tracker.workbook.problems import Problem
from tracker.workbook.raw import HEADER_ROW
from tracker.workbook.schema import Table

REQUIRED = "a value is required"


@dataclass
class CheckedTable:
    """One table after checking: trimmed text, typed values, problems and rejected rows.

    `text` holds every declared column (an absent optional column is all "", then defaults)
    plus the `context:` columns, indexed by spreadsheet row number.
    """

    table: Table
    source: str
    text: pd.DataFrame
    present: frozenset[str]
    context: list[str]
    # Whether every required column is in the header: without one, no row is usable.
    complete: bool
    # The empty cells of each column, after trimming (none once a default has filled them).
    empty: dict[str, pd.Series]
    problems: list[Problem]
    # Rows with a problem: they are left out of the data set.
    rejected: pd.Series
    parsed: dict[str, ParsedColumn] = field(default_factory=dict)

    def flag(self, mask: pd.Series, column: str, explain: Callable[[str], str]) -> None:
        """A problem for every row in `mask`, explained from the cell's text in `column`."""
        if not mask.any():
            return
        cells = self.text.loc[mask, column]
        self.problems.extend(
            Problem(self.source, int(row), column, explain(value)) for row, value in cells.items()
        )
        self.rejected = self.rejected | mask

    def flag_rows(self, rows: pd.Index, column: str, messages: Iterable[str]) -> None:
        """A problem for each of `rows`, with its own message (for rules across cells)."""
        self.problems.extend(
            Problem(self.source, int(row), column, message)
            for row, message in zip(rows, messages, strict=True)
        )
        self.rejected.loc[rows] = True

    def usable(self, column: str) -> pd.Series:
        """Cells of `column` that are filled in and valid (for checks across rows or tables)."""
        return self.parsed[column].usable()

    def sorted_problems(self) -> list[Problem]:
        """By row, then column order; the header's problems (row 1) stay in header order."""
        order = {name: position for position, name in enumerate(self.text.columns)}

        def position(problem: Problem) -> tuple[int, int]:
            if problem.row is None or problem.row == HEADER_ROW:
                return (problem.row or 0, 0)
            return (problem.row, order.get(problem.column or "", len(order)))

        return sorted(self.problems, key=position)

    def dataset_frame(self) -> pd.DataFrame:
        """The typed rows without any problem (none when a required column is missing).

        The index (named ``row``) keeps each row's spreadsheet row number.
        """
        keep = ~self.rejected if self.complete else pd.Series(False, index=self.text.index)
        # The parsers already give the data set's dtypes (see `tracker.dataset`); passing ten
        # million rows through `typed_frame` again would only cost time. Without a rejected row
        # the parsed columns are taken as they are (copy=False): no copy of ten million rows.
        everything = bool(keep.all())
        frame = pd.DataFrame(
            {
                name: parsed.values if everything else parsed.values[keep]
                for name, parsed in self.parsed.items()
            },
            copy=False,
        )
        frame.index = pd.Index(self.text.index[keep.to_numpy()], dtype="int64", name="row")
        return frame


def always(message: str) -> Callable[[str], str]:
    """An explanation that does not depend on the cell's text."""
    return lambda _text: message
