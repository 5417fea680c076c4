"""Reads that return data frames: the database as a `Dataset`, scoped to what may be read.

Data flows one way: this module → pure analysis → rendering. Every read takes the set of
institution keys the caller may see (`None` = all, for the local administrator); the access
layer decides that set.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Collection
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, false, select
from sqlalchemy.orm import Session, aliased

from tracker import models
from tracker.dataset import Dataset, typed_frame
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.imports.table_mapping import MAPPINGS, TableMapping


def _table_select(
    mapping: TableMapping, *, with_ids: bool = True, include_retracted: bool = False
) -> Select[tuple[object, ...]]:
    """Every read of a workbook table starts here: retracted rows (`tracker import --retract`)
    are left out of every read and analysis in this one place, unless `include_retracted`
    (the write layer, which must see them to restore them or to refuse a re-import)."""
    model = mapping.model
    table = model.__table__
    columns: list[object] = []
    if with_ids:
        columns += [table.c.id.label("_id"), table.c.version.label("_version")]
    retractable = "retracted" in table.c
    if include_retracted:
        columns.append(
            (table.c.retracted if retractable else false()).label("_retracted")
        )
    columns += [table.c[name] for name in mapping.plain]
    # FROM the table itself, also when none of its own columns is selected (portfolios).
    stmt = select(*columns).select_from(table)  # type: ignore[call-overload]
    for ref in mapping.refs:
        target = aliased(ref.target, name=f"ref_{ref.column}")
        stmt = stmt.add_columns(target.key.label(ref.column)).outerjoin(  # type: ignore[attr-defined]
            target,
            target.id == table.c[ref.id_column],  # type: ignore[attr-defined]
        )
    if mapping.name == "evidence":
        change = aliased(models.StructuralChange, name="ref_change")
        decision = aliased(models.Decision, name="ref_decision")
        stmt = (
            stmt.add_columns(change.key.label("_change_key"), decision.key.label("_decision_key"))
            .outerjoin(change, change.id == table.c.change_id)
            .outerjoin(decision, decision.id == table.c.decision_id)
        )
    if mapping.name == "portfolios":
        portfolio = aliased(models.Portfolio, name="ref_portfolio")
        stmt = stmt.add_columns(
            portfolio.key.label("portfolio"), portfolio.name.label("name")
        ).join(portfolio, portfolio.id == table.c.portfolio_id)
    if mapping.name == "places":
        stmt = stmt.add_columns(table.c.context)
    if retractable and not include_retracted:
        stmt = stmt.where(table.c.retracted == false())
    return stmt


def _scope_filter(
    stmt: Select[tuple[object, ...]], mapping: TableMapping, institutions: Collection[str] | None
) -> Select[tuple[object, ...]]:
    if institutions is None:
        return stmt
    keys = list(institutions)
    table = mapping.model.__table__
    if mapping.name == "institutions":
        return stmt.where(table.c.key.in_(keys))
    if "institution_id" in table.c:
        scoped = aliased(models.Institution, name="scope_institution")
        return stmt.join(scoped, scoped.id == table.c.institution_id).where(scoped.key.in_(keys))
    if mapping.name == "change_status":
        change = aliased(models.StructuralChange, name="scope_change")
        scoped = aliased(models.Institution, name="scope_institution")
        return (
            stmt.join(change, change.id == table.c.change_id)
            .join(scoped, scoped.id == change.institution_id)
            .where(scoped.key.in_(keys))
        )
    if mapping.name == "places":
        scoped = aliased(models.Institution, name="scope_institution")
        return stmt.where(table.c.id.in_(select(scoped.place_id).where(scoped.key.in_(keys))))
    return stmt  # indicators: definitions are shared by everyone


# Rows fetched and turned into a frame at a time.
CHUNK_ROWS = 200_000
_cursor_numbers = itertools.count()


def _deduplicated(chunk: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categoricals: one Python string per distinct value, not one per row."""
    for name in chunk.columns:
        # Unhashable values (the JSON `context` of places) cannot be categories: left as they are.
        if chunk[name].dtype == object:
            with contextlib.suppress(TypeError):
                chunk[name] = chunk[name].astype("category")
    return chunk


def _driver_cursor(connection: Connection) -> Any:
    """A DB-API cursor on the session's own connection (so inside its transaction) that
    streams: PostgreSQL needs a named, server-side cursor for that; SQLite always streams."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    if connection.dialect.name == "postgresql":
        return raw.cursor(name=f"tracker_read_{next(_cursor_numbers)}")
    return raw.cursor()


def read_frame(stmt: Select[tuple[object, ...]], connection: Connection) -> pd.DataFrame:
    """The rows of `stmt` as a frame, streamed a chunk at a time through the bare DB-API.

    A national portfolio holds ten million indicator values. Through `pd.read_sql` every row
    would first become a SQLAlchemy `Row` and all rows would be held at once, as Python objects
    (gigabytes). Here the statement is compiled by SQLAlchemy but its rows are fetched by the
    driver's cursor a chunk at a time, and each chunk's text columns become categoricals, so
    that a key or a quarter repeated on millions of rows is one string; concatenating the
    chunks gives object columns again, whose cells share those strings.

    Values are the driver's own: on SQLite a date is its ISO text, a boolean 0 or 1 and JSON
    its text (`typed_frame` and `read_table` give them their types).
    """
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = _driver_cursor(connection)
    try:
        cursor.execute(str(compiled), params)
        names = [column[0] for column in cursor.description]
        parts = []
        while rows := cursor.fetchmany(CHUNK_ROWS):
            parts.append(_deduplicated(pd.DataFrame.from_records(rows, columns=names)))
    finally:
        cursor.close()
    if not parts:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in names})
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    categorical = [name for name, dtype in frame.dtypes.items() if dtype == "category"]
    return frame.astype({name: object for name in categorical}) if categorical else frame


def read_table(
    session: Session,
    name: str,
    *,
    institutions: Collection[str] | None = None,
    with_ids: bool = False,
    record_ids: Collection[int] | None = None,
    include_retracted: bool = False,
) -> pd.DataFrame:
    """One workbook table as a typed frame (with `_id`, `_version` columns if `with_ids`).

    `record_ids` keeps only the rows with those database ids (e.g. one record's history);
    `include_retracted` adds the retracted rows, with a `_retracted` column.
    """
    mapping = next(m for m in MAPPINGS if m.name == name)
    stmt = _scope_filter(
        _table_select(mapping, with_ids=with_ids, include_retracted=include_retracted),
        mapping,
        institutions,
    )
    if record_ids is not None:
        table = mapping.model.__table__
        stmt = stmt.where(table.c.id.in_(sorted(record_ids)))
    raw = read_frame(stmt, session.connection())
    if name == "places":
        # The driver gives JSON as text on SQLite, as Python objects on PostgreSQL.
        stored = [(json.loads(c) if isinstance(c, str) else c) or {} for c in raw["context"]]
        context = pd.json_normalize(stored) if len(raw) else pd.DataFrame()
        context.columns = [f"context:{c}" for c in context.columns]
        raw = pd.concat([raw.drop(columns=["context"]), context], axis=1)
    if name == "evidence":
        raw["record"] = raw["_change_key"].where(raw["_change_key"].notna(), raw["_decision_key"])
    frame = typed_frame(TABLE_MAP[name], raw)
    if with_ids:
        frame["_id"] = raw["_id"].to_numpy()
        frame["_version"] = raw["_version"].to_numpy()
    if include_retracted:
        frame["_retracted"] = raw["_retracted"].astype(bool).to_numpy()
    return frame


def load_dataset(session: Session, *, institutions: Collection[str] | None = None) -> Dataset:
    """Everything the caller may read, as one typed frame per workbook table."""
    return Dataset(
        {m.name: read_table(session, m.name, institutions=institutions) for m in MAPPINGS}
    )


def existing_keys(session: Session) -> dict[str, set[str]]:
    """The keys already stored, per keyed table (references in a workbook may name them)."""
    from tracker.writes.imports.table_mapping import KEYED_MODELS

    return {
        name: set(session.scalars(select(model.key)))  # type: ignore[attr-defined]
        for name, model in KEYED_MODELS.items()
    }


def indicator_units(session: Session) -> dict[str, str]:
    """The unit of every stored indicator, by key (percent-formatted cells are read by it)."""
    rows = session.execute(select(models.Indicator.key, models.Indicator.unit))
    return {key: unit for key, unit in rows}
