"""The nested-tenure rule across imports: a workbook's tenure that lies wholly inside a stored
tenure of another holder in the same role, or holds a stored one wholly inside it, is refused as
the workbook check refuses two such rows of one workbook (`tracker.workbook.nesting`)."""

from __future__ import annotations

import pandas as pd

from tracker.identity import identity_column
from tracker.workbook import nesting
from tracker.workbook.problems import Problem

_IDENTITY = ["institution", "role", "start"]


def nested_in_stored(incoming: pd.DataFrame, stored: pd.DataFrame, source: str) -> list[Problem]:
    """Problems for the incoming leadership rows (indexed by spreadsheet row) that a stored
    tenure nests with. A stored row the workbook restates (same identity) is judged as the
    workbook gives it; pairs of two workbook rows are the workbook check's."""
    if incoming.empty or stored.empty:
        return []
    columns = list(nesting.COLUMNS)
    restated = stored.merge(incoming[_IDENTITY], on=_IDENTITY, how="left", indicator=True)
    kept = stored[(restated["_merge"] == "left_only").to_numpy()]
    # Roles compared as a person reads them (`tracker.identity`).
    places = set(zip(incoming["institution"], identity_column(incoming["role"]), strict=True))
    kept_roles = identity_column(kept["role"])
    kept = kept[
        [(i, r) in places for i, r in zip(kept["institution"], kept_roles, strict=True)]
    ]
    if kept.empty:
        return []
    both = pd.concat(
        [
            incoming[columns].assign(_row=incoming.index, _stored=False),
            kept[columns].assign(_row=None, _stored=True),
        ],
        ignore_index=True,
    )
    problems = []
    rows = both.to_dict("index")
    for inner, outer in nesting.nested_tenures(both):
        inner_row, outer_row = rows[inner], rows[outer]
        if inner_row["_stored"] == outer_row["_stored"]:
            continue
        if inner_row["_stored"]:
            row, message = outer_row["_row"], (
                f"this tenure of {nesting.tenure_words(outer_row)} would hold the stored tenure "
                f"of {nesting.tenure_words(inner_row)} wholly inside it; {nesting.ADVICE}"
            )
        else:
            row, message = inner_row["_row"], (
                f"this tenure of {nesting.tenure_words(inner_row)} lies wholly inside the stored "
                f"tenure of {nesting.tenure_words(outer_row)}; {nesting.ADVICE}"
            )
        problems.append(Problem(source, int(row), "start", message))
    return sorted(problems, key=lambda p: p.row or 0)
