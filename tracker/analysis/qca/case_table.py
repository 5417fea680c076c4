"""A case table as read from a file (text cells) into the memberships QCA works on.

The first column names the cases. Every condition and the outcome must be a column; a column
with a calibration rule is calibrated from its raw numbers, any other must already hold
memberships between 0 and 1. Every problem names the file, the row (as a spreadsheet shows it:
the header is row 1) and the column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tracker.analysis.qca.calibration import Rule, calibrate


class CaseTableError(ValueError):
    """A case table that cannot be analysed, located by file, row and column."""


def memberships_from_cells(
    cells: pd.DataFrame,
    *,
    source: str,
    outcome: str,
    conditions: Sequence[str],
    rules: Sequence[Rule] = (),
) -> pd.DataFrame:
    """Calibrated memberships, one row per case (index: the case names from the first column)."""
    if cells.shape[1] < 2:
        raise CaseTableError(f"{source}: needs a column naming the cases and at least one more")
    if cells.empty:
        raise CaseTableError(f"{source}: has no cases (no row below the header)")
    case_column = str(cells.columns[0])
    outcome_column = outcome[1:] if outcome.startswith("~") else outcome
    wanted = [*conditions, outcome_column]
    available = [str(c) for c in cells.columns[1:]]
    for column in wanted:
        if column not in available:
            raise CaseTableError(
                f"{source}: no column {column!r} (columns: {', '.join(available)})"
            )
    by_column = {rule.column: rule for rule in rules}
    for column in by_column:
        if column not in wanted:
            raise CaseTableError(
                f"{source}: --calibrate names {column!r}, which is neither a condition nor "
                "the outcome"
            )
    names = cells[case_column].astype(str).str.strip()
    for position, name in enumerate(names):
        if not name:
            raise CaseTableError(
                f"{source} row {position + 2}, column {case_column!r}: no case name"
            )
    duplicated = names[names.duplicated()]
    if not duplicated.empty:
        position = int(duplicated.index[0])
        raise CaseTableError(
            f"{source} row {position + 2}, column {case_column!r}: case {duplicated.iloc[0]!r} "
            "appears twice"
        )
    memberships = {}
    for column in dict.fromkeys(wanted):
        values = _numbers(cells[column], source, column)
        rule = by_column.get(column)
        if rule is None:
            outside = np.flatnonzero((values < 0) | (values > 1))
            if len(outside):
                position = int(outside[0])
                raise CaseTableError(
                    f"{source} row {position + 2}, column {column!r}: {values[position]:g} is "
                    f"not a membership between 0 and 1; calibrate it (--calibrate "
                    f"'{column}>=value' or '{column}=exclusion,crossover,inclusion')"
                )
            memberships[column] = values
        else:
            memberships[column] = calibrate(values, rule)
    return pd.DataFrame(memberships, index=pd.Index(names.to_list(), name="case"))


def _numbers(column: pd.Series, source: str, name: str) -> np.ndarray:
    texts = column.astype(str).str.strip()
    numbers = pd.to_numeric(texts, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(numbers))
    if len(bad):
        position = int(bad[0])
        shown = texts.iloc[position]
        said = f"{shown!r} is not a number" if shown else "no value"
        raise CaseTableError(f"{source} row {position + 2}, column {name!r}: {said}")
    return numbers
