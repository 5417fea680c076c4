"""Bulk inserts: many rows as plain tuples, values in the driver's form, in the caller's
transaction.

SQLAlchemy's `session.execute(insert(table), [dict, ...])` builds and type-processes a parameter
dictionary per row in Python; at ten million indicator values that costs more than the database
takes to store them. Here each column is converted once, as a list (a constant such as the
`recorded_at` stamp is converted once in all), and the rows go to the database in bulk:
- SQLite: one INSERT through the DB-API's `executemany` (`Connection.exec_driver_sql`);
- PostgreSQL (psycopg): `COPY … FROM STDIN`, PostgreSQL's own bulk load, on the same connection.

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
from sqlalchemy.exc import DBAPIError

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


def _copy(
    connection: Connection, copy_from: str, converted: list[Sequence[Any]], fixed: list[Any],
    count: int,
) -> None:
    """PostgreSQL's COPY, through psycopg on the session's own connection (so in its
    transaction): the way PostgreSQL is meant to take many rows, several times faster than an
    INSERT per row even when pipelined."""
    raw: Any = connection.connection.dbapi_connection
    parts: list[Iterable[Any]] = [*converted, *(itertools.repeat(value, count) for value in fixed)]
    dbapi = connection.dialect.loaded_dbapi
    try:
        with raw.cursor() as cursor, cursor.copy(copy_from) as copy:
            for row in zip(*parts, strict=False):
                copy.write_row(row)
    except dbapi.Error as error:
        # As SQLAlchemy would raise it (e.g. IntegrityError for a row someone added meanwhile),
        # so that callers handle one kind of error whichever way the rows went in.
        raise DBAPIError.instance(copy_from, None, error, dbapi.Error) from error


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
    target = (
        f"{dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(name) for name in names)})"
    )
    converted = [driver_values(table.c[name], values, dialect) for name, values in columns.items()]
    fixed = [driver_values(table.c[name], [value], dialect)[0] for name, value in constants.items()]
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy(connection, f"COPY {target} FROM STDIN", converted, fixed, count)
        return count
    statement = f"INSERT INTO {target} VALUES ({', '.join([_placeholder(dialect)] * len(names))})"
    for start in range(0, count, BATCH_ROWS):
        stop = min(start + BATCH_ROWS, count)
        parts: list[Iterable[Any]] = [values[start:stop] for values in converted]
        parts += [itertools.repeat(value, stop - start) for value in fixed]
        connection.exec_driver_sql(statement, list(zip(*parts, strict=False)))
    return count
