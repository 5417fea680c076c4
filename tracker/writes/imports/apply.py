"""Applying a planned import: bulk inserts of new rows, corrections that keep history."""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn, cast

import pandas as pd
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from tracker import models
from tracker.writes.history.conflicts import ConflictRefused, changed_since
from tracker.writes.imports.bulk import insert_columns
from tracker.writes.imports.plan import Correction
from tracker.writes.imports.table_mapping import MAPPING_BY_NAME, TableMapping, stored_table
from tracker.writes.imports.values import column_values

__all__ = ["ConflictRefused", "apply_correction", "insert_rows"]

# Rows turned into Python values at a time when inserting.
CHUNK_ROWS = 100_000


def key_ids(session: Session, model: type[models.Base]) -> dict[str, int]:
    rows = session.execute(select(model.key, model.id))  # type: ignore[attr-defined]
    return {key: id_ for key, id_ in rows}


def _resolve(keys: list[Any], ids: dict[str, int]) -> list[int | None]:
    return [None if k is None else ids[k] for k in keys]


def _reference_ids(session: Session, mapping: TableMapping) -> dict[str, dict[str, int]]:
    """key -> id for every table this mapping refers to (read once per table, not per batch)."""
    ids = {ref.column: key_ids(session, ref.target) for ref in mapping.refs}
    if mapping.name == "evidence":
        ids["_changes"] = key_ids(session, models.StructuralChange)
        ids["_decisions"] = key_ids(session, models.Decision)
    if mapping.name == "portfolios":
        ids["portfolio"] = key_ids(session, models.Portfolio)
    return ids


def _columns(
    mapping: TableMapping,
    frame: pd.DataFrame,
    ids: dict[str, dict[str, int]],
) -> dict[str, list[Any]]:
    """The stored columns of the new rows (name → values), keys resolved to ids."""
    columns: dict[str, list[Any]] = {}
    for name in mapping.plain:
        columns[name] = column_values(frame[name])
    for ref in mapping.refs:
        if ref.column == "parent":
            continue  # set after every institution of the batch exists
        columns[ref.id_column] = _resolve(column_values(frame[ref.column]), ids[ref.column])
    if mapping.name == "places":
        context_columns = [c for c in frame.columns if str(c).startswith("context:")]
        values = {c: column_values(frame[c]) for c in context_columns}
        columns["context"] = [
            {c.split(":", 1)[1]: values[c][i] for c in context_columns if values[c][i] is not None}
            for i in range(len(frame))
        ]
    if mapping.name == "evidence":
        changes, decisions = ids["_changes"], ids["_decisions"]
        records = column_values(frame["record"])
        columns["change_id"] = [changes.get(r) if r is not None else None for r in records]
        columns["decision_id"] = [
            decisions.get(r) if r is not None and r not in changes else None for r in records
        ]
    if mapping.name == "portfolios":
        columns["portfolio_id"] = _resolve(column_values(frame["portfolio"]), ids["portfolio"])
    return columns


def _ensure_portfolios(session: Session, frame: pd.DataFrame, stamp: dict[str, Any]) -> int:
    """Create the portfolios a workbook names for the first time; returns how many."""
    known = key_ids(session, models.Portfolio)
    names: dict[str, str | None] = {}
    pairs = zip(column_values(frame["portfolio"]), column_values(frame["name"]), strict=True)
    for key, name in pairs:
        if key not in known and (key not in names or names[key] is None):
            names[key] = name
    if names:
        session.execute(
            insert(models.Portfolio), [{"key": k, "name": n, **stamp} for k, n in names.items()]
        )
    return len(names)


def insert_rows(
    session: Session, name: str, frame: pd.DataFrame, *, actor: str, at: dt.datetime,
    reason: str | None,
) -> None:
    """Insert new rows of one workbook table, resolving keys to ids."""
    if len(frame) == 0:
        return
    mapping = MAPPING_BY_NAME[name]
    stamp = {"version": 1, "recorded_at": at, "recorded_by": actor, "reason": reason}
    if name == "portfolios":
        _ensure_portfolios(session, frame, stamp)
    ids = _reference_ids(session, mapping)
    # Through the driver's executemany, not one parameter dict per row (see writes.bulk); a
    # chunk at a time, so that ten million values never become Python objects all at once.
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start : start + CHUNK_ROWS]
        insert_columns(
            session.connection(), stored_table(mapping), _columns(mapping, chunk, ids),
            constants=stamp,
        )
    if name == "institutions":
        _set_parents(session, frame)


def _set_parents(session: Session, frame: pd.DataFrame) -> None:
    ids = key_ids(session, models.Institution)
    pairs = [
        {"_id": ids[k], "_parent": ids[p]}
        for k, p in zip(column_values(frame["key"]), column_values(frame["parent"]), strict=True)
        if p is not None
    ]
    if pairs:
        table = cast(Table, models.Institution.__table__)
        session.execute(
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values(parent_id=bindparam("_parent")),
            pairs,
        )


def apply_correction(
    session: Session, correction: Correction, *, actor: str, at: dt.datetime, reason: str | None
) -> None:
    """Update the row optimistically, then keep the version it replaced in `record_versions`.

    The update runs first and only matches the version the plan read (`WHERE version = seen`):
    on PostgreSQL a concurrent correction of the same row makes this one wait, then match
    nothing, and it is refused as a conflict before anything of it is written.
    """
    mapping = MAPPING_BY_NAME[correction.table]
    table = stored_table(mapping)
    current = session.execute(
        select(table.c.version, table.c.recorded_at, table.c.recorded_by, table.c.reason).where(
            table.c.id == correction.record_id
        )
    ).one()
    if current.version != correction.version:
        _refuse_conflict(session, correction)
    values = _corrected_values(session, correction, mapping)
    result = session.execute(
        update(table)
        .where(table.c.id == correction.record_id, table.c.version == correction.version)
        .values(
            **values, version=correction.version + 1, recorded_at=at, recorded_by=actor,
            reason=reason,
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        _refuse_conflict(session, correction)
    session.execute(
        insert(models.RecordVersion).values(
            table_name=correction.table,
            record_id=correction.record_id,
            record_key=correction.record_key,
            version=correction.version,
            data=correction.before,
            recorded_at=current.recorded_at,
            recorded_by=current.recorded_by,
            reason=current.reason,
            superseded_at=at,
            superseded_by=actor,
        )
    )


def _refuse_conflict(session: Session, correction: Correction) -> NoReturn:
    raise ConflictRefused(
        changed_since(
            session, table=correction.table, record_id=correction.record_id,
            record_key=correction.record_key, seen_version=correction.version,
        )
    )


def _corrected_values(
    session: Session, correction: Correction, mapping: TableMapping
) -> dict[str, Any]:
    """The stored columns a correction sets (references resolved to ids)."""
    table = stored_table(mapping)
    values: dict[str, Any] = {}
    ref_map = mapping.ref_map
    for column, (_old, new) in correction.changes.items():
        if column in ref_map:
            ref = ref_map[column]
            values[ref.id_column] = None if new is None else key_ids(session, ref.target)[new]
        elif column == "record":
            changes = key_ids(session, models.StructuralChange)
            decisions = key_ids(session, models.Decision)
            values["change_id"] = changes.get(new) if new else None
            values["decision_id"] = decisions.get(new) if new and new not in changes else None
        elif column.startswith("context:"):
            continue
        elif correction.table == "portfolios" and column == "name":
            portfolio_key = correction.after["portfolio"]
            session.execute(
                update(models.Portfolio)
                .where(models.Portfolio.key == portfolio_key)
                .values(name=new)
            )
        elif isinstance(new, str) and table.c[column].type.python_type is dt.date:
            values[column] = dt.date.fromisoformat(new)
        else:
            values[column] = new
    if correction.table == "places" and any(c.startswith("context:") for c in correction.changes):
        stored: dict[str, Any] | None = session.execute(
            select(table.c.context).where(table.c.id == correction.record_id)
        ).scalar_one()
        context = dict(stored or {})
        for column, (_old, new) in correction.changes.items():
            if column.startswith("context:"):
                name = column.split(":", 1)[1]
                if new is None:
                    context.pop(name, None)
                else:
                    context[name] = new
        values["context"] = context
    return values
