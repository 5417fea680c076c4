"""Bulk inserts: one INSERT statement, many rows as plain tuples, values in the driver's form.

SQLAlchemy's `session.execute(insert(table), [dict, ...])` builds and type-processes a parameter
dictionary per row in Python; at ten million indicator values that costs more than the database
takes to store them. Here each column is converted once, as a list (a constant such as the
`recorded_at` stamp is converted once in all), and the rows go to the DB-API's `executemany`
through `Connection.exec_driver_sql`, inside the caller's transaction.

Values are put in the form SQLAlchemy itself would bind: each column type's own bind processor
for this dialect, except for dates on SQLite, where `date.isoformat()` gives the very text the
SQLite dialect stores (`YYYY-MM-DD`) many times faster than the generic processor.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Date, DateTime, Table
from sqlalchemy.engine import Dialect

# Rows per executemany call: large enough to amortise round trips, small enough for memory.
BATCH_ROWS = 20_000


def driver_values(column: Column[Any], values: Sequence[Any], dialect: Dialect) -> Sequence[Any]:
    """`values` of one column as the DB-API driver takes them (None stays None)."""
    if dialect.name == "sqlite" and isinstance(column.type, Date) and not isinstance(
        column.type, DateTime
    ):
        return [None if value is None else value.isoformat() for value in values]
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return values
    return [processor(value) for value in values]


def _placeholder(dialect: Dialect) -> str:
    style = dialect.paramstyle
    if style == "qmark":
        return "?"
    if style in ("format", "pyformat"):
        return "%s"
    raise NotImplementedError(f"bulk insert does not support the {style!r} parameter style")


def insert_columns(
    connection: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
) -> int:
    """Insert one row per position of the equally long `columns` (name → values), each row
    also carrying `constants` (name → one value). Returns the number of rows inserted."""
    constants = constants or {}
    dialect = connection.dialect
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}")
    count = lengths.pop() if lengths else 0
    if count == 0:
        return 0
    names = [*columns, *constants]
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(name) for name in names)}) "
        f"VALUES ({', '.join([_placeholder(dialect)] * len(names))})"
    )
    converted = [driver_values(table.c[name], values, dialect) for name, values in columns.items()]
    fixed = [driver_values(table.c[name], [value], dialect)[0] for name, value in constants.items()]
    for start in range(0, count, BATCH_ROWS):
        stop = min(start + BATCH_ROWS, count)
        parts: list[Iterable[Any]] = [values[start:stop] for values in converted]
        parts += [itertools.repeat(value, stop - start) for value in fixed]
        connection.exec_driver_sql(statement, list(zip(*parts, strict=False)))
    return count
