"""Planning an import: which workbook rows are new, unchanged, or would change a stored value.

Set-based: each table is compared with what is stored by one merge on its identity columns.
Only columns present in the workbook file are compared (a file that leaves out an optional
column leaves the stored values alone).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tracker.workbook.problems import Problem
from tracker.workbook.schema import Table
from tracker.writes.imports.values import plain, same, text


@dataclass(frozen=True)
class Correction:
    """A workbook row that would change a stored row."""

    table: str
    record_key: str
    row: int | None
    record_id: int
    version: int
    # column -> (stored value, workbook value), JSON-safe.
    changes: dict[str, tuple[Any, Any]]
    # True when every change fills a value that was empty (no stored value is replaced).
    fills_blanks_only: bool
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass
class TablePlan:
    name: str
    new: pd.DataFrame
    unchanged: int = 0
    corrections: list[Correction] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return len(self.new) == 0 and not self.corrections


def record_key(table: Table, row: Mapping[Any, Any]) -> str:
    """A row's identity as text, e.g. `wigan|resident_trust|2024Q3`."""
    return "|".join(text(row[c]) for c in table.identity)


def plan_table(
    table: Table,
    incoming: pd.DataFrame,
    stored: pd.DataFrame,
    *,
    given_columns: set[str],
    row_numbers: pd.Series,
) -> TablePlan:
    """Compare the workbook rows of one table with the stored rows (carrying `_id`, `_version`)."""
    identity = list(table.identity)
    compared = [
        c
        for c in incoming.columns
        if c not in identity and c in given_columns and c in stored.columns
    ]
    if len(stored) == 0:
        # Nothing stored to compare with: every row is new, and no copy of them is needed.
        return TablePlan(name=table.name, new=incoming)
    work = incoming.copy()
    work["_row"] = row_numbers.to_numpy() if len(row_numbers) == len(work) else None
    merged = work.merge(
        stored, on=identity, how="left", suffixes=("", "__stored"), indicator=True
    )
    is_new = merged["_merge"] == "left_only"
    new_rows = work[is_new.to_numpy()].drop(columns=["_row"])
    existing = merged[~is_new]
    differs = pd.Series(False, index=existing.index)
    for column in compared:
        ours, theirs = existing[column], existing[f"{column}__stored"]
        both_missing = ours.isna() & theirs.isna()
        equal = (ours == theirs).fillna(False).astype(bool)
        differs |= ~(both_missing | equal)
    plan = TablePlan(name=table.name, new=new_rows, unchanged=int((~differs).sum()))
    for _, row in existing[differs].iterrows():
        changes: dict[str, tuple[Any, Any]] = {}
        for column in compared:
            old, new = row[f"{column}__stored"], row[column]
            if not same(old, new):
                changes[column] = (plain(old), plain(new))
        before = {c: plain(row[f"{c}__stored"]) for c in compared}
        after = {c: plain(row[c]) for c in compared}
        for c in identity:
            before[c] = after[c] = plain(row[c])
        plan.corrections.append(
            Correction(
                table=table.name,
                record_key=record_key(table, row.to_dict()),
                row=int(row["_row"]) if pd.notna(row["_row"]) else None,
                record_id=int(row["_id"]),
                version=int(row["_version"]),
                changes=changes,
                fills_blanks_only=all(old is None for old, _ in changes.values()),
                before=before,
                after=after,
            )
        )
    return plan


def correction_problems(
    plan: TablePlan, source: str, *, allowed: Collection[tuple[str, str]] = ()
) -> list[Problem]:
    """The rows that would replace a stored value, each as a problem naming row and column
    (except the corrections `allowed`, by table and record key)."""
    problems = []
    for correction in plan.corrections:
        if correction.fills_blanks_only or (correction.table, correction.record_key) in allowed:
            continue
        for column, (old, new) in correction.changes.items():
            if old is None:
                continue
            problems.append(
                Problem(
                    file=source,
                    row=correction.row,
                    column=column,
                    message=(
                        f"would change the stored value {text(old)!r} to {text(new)!r} "
                        f"({correction.record_key}); to correct it, import again with "
                        "--correct --reason TEXT (the old value is kept in history)"
                    ),
                )
            )
    return problems
