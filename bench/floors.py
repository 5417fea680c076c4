"""The floors every product step is measured against, on the same rows in the same run.

- Write floor: the rows the import stored, inserted again into a fresh copy of the schema with
  the bare DB-API (`sqlite3` / `psycopg`) `executemany`, in one transaction. No validation, no
  planning, no SQLAlchemy: what the database itself needs to store those rows.
- Read floor: `pandas.read_sql` of every table the analysis reads (all their columns), through
  the same SQLAlchemy connection the product's queries use.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
from sqlalchemy import JSON, text

from bench.databases import BenchDatabase
from tracker import models
from tracker.db import make_engine
from tracker.migrate import SCHEMA_VERSIONS
from tracker.writes.imports.table_mapping import MAPPINGS

FETCH_ROWS = 50_000


# Filled by the migrations themselves (the target database has its own rows), not by an import.
MIGRATION_TABLES = frozenset({SCHEMA_VERSIONS})


def stored_tables() -> list[str]:
    """Every table of the schema an import writes to, parents before children (so foreign
    keys hold on insert)."""
    return [
        table.name for table in models.Base.metadata.sorted_tables
        if table.name not in MIGRATION_TABLES
    ]


def analysed_tables() -> list[str]:
    """The tables `queries.load_dataset` reads: one per workbook table, plus portfolio names."""
    names = [str(mapping.model.__tablename__) for mapping in MAPPINGS]
    return [*dict.fromkeys([*names, models.Portfolio.__tablename__])]


def _json_columns(table: str) -> list[int]:
    columns = models.Base.metadata.tables[table].columns
    return [i for i, column in enumerate(columns) if isinstance(column.type, JSON)]


def _parents_first(table: str) -> str:
    """An ORDER BY that inserts rows without a parent in the same table first (a school's
    trust before the school), so that a self-referencing foreign key holds row by row."""
    own = models.Base.metadata.tables[table]
    parents = [fk.parent.name for fk in own.foreign_keys if fk.column.table is own]
    if not parents:
        return ""
    return " ORDER BY " + ", ".join(f'"{name}" IS NOT NULL' for name in parents)


def write_floor(source: BenchDatabase, target: BenchDatabase) -> dict[str, Any]:
    """Time a bare `executemany` of every row of `source` into the empty `target`."""
    src = source.dbapi_connect()
    dst = target.dbapi_connect()
    placeholder = "?" if target.kind == "sqlite" else "%s"
    elapsed = 0.0
    rows = 0
    try:
        if target.kind == "sqlite":
            dst.execute("BEGIN IMMEDIATE")
        writer = dst.cursor()
        for table in stored_tables():
            names = [c.name for c in models.Base.metadata.tables[table].columns]
            quoted = ", ".join(f'"{name}"' for name in names)
            select = f'SELECT {quoted} FROM "{table}"{_parents_first(table)}'
            insert = (
                f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join([placeholder] * len(names))})'
            )
            json_at = _json_columns(table) if target.kind == "postgres" else []
            # A server-side cursor on PostgreSQL: ten million rows are not fetched at once.
            reader = src.cursor() if source.kind == "sqlite" else src.cursor(name=f"floor_{table}")
            reader.execute(select)
            while batch := reader.fetchmany(FETCH_ROWS):
                if json_at:
                    batch = [_with_json(row, json_at) for row in batch]
                started = time.perf_counter()
                writer.executemany(insert, batch)
                elapsed += time.perf_counter() - started
                rows += len(batch)
            reader.close()
        started = time.perf_counter()
        if target.kind == "sqlite":
            dst.execute("COMMIT")
        else:
            dst.commit()
        elapsed += time.perf_counter() - started
    finally:
        src.close()
        dst.close()
    return {"seconds": elapsed, "rows": rows}


def _with_json(row: tuple[Any, ...], positions: list[int]) -> tuple[Any, ...]:
    from psycopg.types.json import Json

    values = list(row)
    for position in positions:
        if values[position] is not None:
            values[position] = Json(values[position])
    return tuple(values)


def read_floor(database: BenchDatabase) -> dict[str, Any]:
    """Time `pandas.read_sql` of every table the analysis reads."""
    engine = make_engine(database.url)
    rows = 0
    try:
        with engine.connect() as conn:
            started = time.perf_counter()
            for table in analysed_tables():
                rows += len(pd.read_sql(text(f'SELECT * FROM "{table}"'), conn))
            elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    return {"seconds": elapsed, "rows": rows}
