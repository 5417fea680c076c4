"""Plausibility warnings for two spellings of one name at one institution.

Holders, partners and roles are compared as a person reads them (`tracker.identity`): "Jane
Smith" and "Jane  Smith" are one holder, "Chief Executive" and "chief_executive" one role. The
import writes the text as typed; when one institution's rows (incoming, or incoming and stored)
spell one name two ways, the import says so, naming both spellings and their rows, so that a
typing slip is seen rather than silently merged (or, before, read as a turnover).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from tracker.identity import identity_column
from tracker.queries import read_table
from tracker.writes.imports.plan import TablePlan

# table → the columns naming a holder, a partner or a role, and what each names.
_NAMED = {
    "leadership": (("holder", "holder"), ("role", "role")),
    "partners": (("partner", "partner"),),
}


@dataclass(frozen=True)
class SpellingDoubt:
    """Two or more spellings of one name at one institution (a warning, never a refusal)."""

    source: str
    table: str
    institution: str
    message: str
    # As a value warning is located (the rows are named in the message; no quarter).
    row: int | None = None
    period: str = ""

    def __str__(self) -> str:
        return f"{self.source} [{self.table}]: {self.institution}: {self.message}"


def _incoming(plan: TablePlan, columns: list[str]) -> pd.DataFrame:
    rows = plan.new[["institution", *columns]].copy()
    # Rows of a workbook keep their spreadsheet row number (the index); others have none.
    rows["_row"] = list(rows.index) if rows.index.name == "row" else [None] * len(rows)
    fixed = [
        {
            "institution": c.after.get("institution"),
            **{n: c.after.get(n) for n in columns},
            "_row": c.row,
        }
        for c in plan.corrections
    ]
    if fixed:
        rows = pd.concat([rows, pd.DataFrame(fixed)], ignore_index=True)
    return rows


# The row number given to a stored row (it has none in the workbook).
_STORED = -1


def _where(rows: pd.Series) -> str:
    numbers = sorted({int(r) for r in rows if r is not None and not pd.isna(r) and r != _STORED})
    stored = any(r == _STORED for r in rows)
    parts = []
    if numbers:
        label = "row" if len(numbers) == 1 else "rows"
        parts.append(f"{label} {', '.join(str(n) for n in numbers)}")
    if stored:
        parts.append("stored rows")
    return " and ".join(parts)


def spelling_doubts(
    session: Session, plans: Mapping[str, TablePlan], *, source: str
) -> list[SpellingDoubt]:
    """Warnings about names spelled two ways at one institution in a planned import."""
    doubts: list[SpellingDoubt] = []
    for table, named in _NAMED.items():
        plan = plans.get(table)
        if plan is None or plan.is_empty:
            continue
        columns = [column for column, _ in named]
        incoming = _incoming(plan, columns)
        stored = read_table(session, table, institutions=sorted(set(incoming["institution"])))
        if len(stored):
            incoming = pd.concat(
                [incoming, stored[["institution", *columns]].assign(_row=_STORED)],
                ignore_index=True,
            )
        for column, what in named:
            doubts.extend(_two_spellings(incoming, column, what, table, source))
    return doubts


def _two_spellings(
    rows: pd.DataFrame, column: str, what: str, table: str, source: str
) -> list[SpellingDoubt]:
    frame = rows[rows[column].notna()].assign(_read=lambda f: identity_column(f[column]))
    spellings = frame.groupby(["institution", "_read"])[column].transform("nunique")
    doubtful = frame[spellings > 1]
    found = []
    for (institution, _read), group in doubtful.groupby(["institution", "_read"], sort=True):
        typed = list(dict.fromkeys(str(value) for value in group[column]))
        names = " and ".join(
            f'"{value}" ({_where(group.loc[group[column] == value, "_row"])})' for value in typed
        )
        found.append(
            SpellingDoubt(
                source,
                table,
                str(institution),
                f"{names} are read as one {what} (compared as a person reads "
                "them: case, spacing, '_' and '-' aside); the text is kept as typed: correct it "
                "if one is a slip",
            )
        )
    return found
