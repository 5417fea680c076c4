"""Quarter locks: a submitted quarter refuses every write dated in it.

A row is dated into a quarter by its table's `dated_by` column (a date or a period, see
`tracker.workbook.schema`); a row with an `end` date (a tenure, an engagement, an activity, a
factor) is also dated by its end, because ending a tenure *is* the leadership change of that
quarter. A row belongs to its `institution`; a change status belongs to its change's
institution.

What is refused: a new row dated in a locked quarter, and a correction of a row whose date
(before or after the correction) or whose corrected end falls in a locked quarter. Rows that
are unchanged are not writes, so re-importing an identical workbook into a locked quarter is
fine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tracker import models
from tracker.db import is_sqlite
from tracker.periods import period_of
from tracker.workbook.problems import Problem
from tracker.workbook.schema import Table
from tracker.writes.imports.plan import Correction, TablePlan

END_COLUMN = "end"


@dataclass(frozen=True)
class QuarterLock:
    """Who submitted an institution's quarter, and when."""

    institution: str
    period: str
    submitted_by: str
    submitted_at: dt.datetime

    def describe(self) -> str:
        """E.g. ``locked (submitted by ana at 2025-01-06 10:42 UTC)``."""
        return f"locked (submitted by {self.submitted_by} at {when_text(self.submitted_at)})"


@dataclass(frozen=True, slots=True)
class LockedQuarterProblem(Problem):
    """A row that would write into a submitted quarter; `lock` says who submitted it, when
    (the HTTP API answers these with 409 Conflict and the lock)."""

    lock: QuarterLock | None = None


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime."""
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def when_text(moment: dt.datetime) -> str:
    """A timestamp as people read it in messages, in UTC."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


LockMap = Mapping[tuple[str, str], QuarterLock]


def guard_quarters(session: Session) -> None:
    """Hold submissions still until this transaction ends (PostgreSQL; SQLite needs nothing).

    A writer reads the locks and then writes rows; a quarter submitted in between would be
    locked with rows written after its submission. SHARE mode lets writers run together but
    makes a submit or reopen (which writes `quarter_submissions`) wait for them, and makes them
    wait for a submit in progress. On SQLite a write transaction already holds the database's
    write lock from BEGIN IMMEDIATE.
    """
    if not is_sqlite(session.connection()):
        session.execute(text("LOCK TABLE quarter_submissions IN SHARE MODE"))


def quarter_locks(
    session: Session, *, institutions: Collection[str] | None = None
) -> dict[tuple[str, str], QuarterLock]:
    """The locked quarters, as (institution, period) → lock (of these institutions, or all)."""
    stmt = (
        select(
            models.Institution.key,
            models.QuarterSubmission.period,
            models.QuarterSubmission.submitted_by,
            models.QuarterSubmission.submitted_at,
        )
        .join(models.Institution, models.Institution.id == models.QuarterSubmission.institution_id)
        .where(models.QuarterSubmission.locked.is_(True))
    )
    if institutions is not None:
        stmt = stmt.where(models.Institution.key.in_(sorted(institutions)))
    return {
        (key, period): QuarterLock(key, period, who, when)
        for key, period, who, when in session.execute(stmt)
    }


def change_institutions(session: Session, workbook_changes: pd.DataFrame) -> dict[str, str]:
    """change key → institution key, for stored changes and the workbook's own."""
    stmt = select(models.StructuralChange.key, models.Institution.key).join(
        models.Institution, models.Institution.id == models.StructuralChange.institution_id
    )
    owners = {change: owner for change, owner in session.execute(stmt)}
    if len(workbook_changes):
        owners.update(zip(workbook_changes["key"], workbook_changes["institution"], strict=True))
    return owners


def _periods(values: pd.Series, kind: str) -> pd.Series:
    """The quarter of each value (a period stays itself; a date gives its quarter)."""
    if kind == "period":
        return values.astype(object)
    days = pd.to_datetime(values)
    quarter = ((days.dt.month - 1) // 3 + 1).astype("Int64").astype(str)
    periods = days.dt.year.astype("Int64").astype(str) + "Q" + quarter
    return periods.astype(object).where(days.notna())


def _owners(table: Table, frame: pd.DataFrame, change_owner: Mapping[str, str]) -> pd.Series:
    if table.name == "change_status":
        return frame["change"].map(change_owner)
    return frame["institution"]


def _lock_message(lock: QuarterLock) -> str:
    return (
        f"{lock.institution} {lock.period} is {lock.describe()}; nothing dated in a submitted "
        "quarter can be written until it is reopened (tracker quarter reopen --institution "
        f"{lock.institution} --period {lock.period} --reason TEXT)"
    )


def _dated_columns(table: Table) -> list[str]:
    columns = [table.dated_by] if table.dated_by else []
    if END_COLUMN in table.column_map:
        columns.append(END_COLUMN)
    return columns


def new_row_problems(
    table: Table,
    new: pd.DataFrame,
    *,
    locks: LockMap,
    change_owner: Mapping[str, str],
    source: str,
) -> list[Problem]:
    """New rows dated in a locked quarter (set-based: one pass per dated column).

    `new` is indexed by the row number a spreadsheet shows (as the validator indexes it).
    """
    if not locks or len(new) == 0:
        return []
    owners = _owners(table, new, change_owner)
    problems: list[Problem] = []
    for column in _dated_columns(table):
        periods = _periods(new[column], table.column_map[column].type)
        keys = owners.astype(str) + "|" + periods.astype(str)
        hit = keys.isin({f"{i}|{p}" for i, p in locks})
        for row in new.index[hit.to_numpy()]:
            lock = locks[(owners[row], periods[row])]
            problems.append(
                LockedQuarterProblem(source, int(row), column, _lock_message(lock), lock)
            )
    return problems


def _correction_quarters(
    table: Table, correction: Correction, change_owner: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(column, institution, period) of every date the correction touches."""
    touched = []
    for side in (correction.before, correction.after):
        owner = _side_owner(table, side, change_owner)
        for column in _dated_columns(table):
            if column == END_COLUMN and column not in correction.changes:
                continue
            value = side.get(column)
            if owner is None or value is None:
                continue
            if table.column_map[column].type == "period":
                touched.append((column, owner, str(value)))
            else:
                touched.append((column, owner, period_of(dt.date.fromisoformat(str(value)))))
    return touched


def _side_owner(
    table: Table, side: Mapping[str, Any], change_owner: Mapping[str, str]
) -> str | None:
    if table.name == "change_status":
        return change_owner.get(str(side.get("change")))
    owner = side.get("institution")
    return None if owner is None else str(owner)


def correction_lock_problems(
    table: Table,
    corrections: list[Correction],
    *,
    locks: LockMap,
    change_owner: Mapping[str, str],
    source: str,
) -> list[Problem]:
    """Corrections of rows dated (before or after) in a locked quarter."""
    if not locks:
        return []
    problems: list[Problem] = []
    for correction in corrections:
        seen: set[tuple[str, str, str]] = set()
        for touched in _correction_quarters(table, correction, change_owner):
            column, owner, period = touched
            if (owner, period) in locks and touched not in seen:
                seen.add(touched)
                lock = locks[(owner, period)]
                problems.append(
                    LockedQuarterProblem(source, correction.row, column, _lock_message(lock), lock)
                )
    return problems


def plan_lock_problems(
    plan: TablePlan,
    table: Table,
    *,
    locks: LockMap,
    change_owner: Mapping[str, str],
    source: str,
) -> list[Problem]:
    """Every row of a table's plan that would write into a locked quarter."""
    if not _dated_columns(table):
        return []
    return [
        *new_row_problems(table, plan.new, locks=locks, change_owner=change_owner, source=source),
        *correction_lock_problems(
            table, plan.corrections, locks=locks, change_owner=change_owner, source=source
        ),
    ]
