"""Stored rows as the API shows them: the workbook's columns, the record key and its version."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor
from tracker.api.problems import ApiProblem
from tracker.scope import readable_institutions, record_scope, require_institution
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.imports.plan import record_key
from tracker.writes.imports.values import plain

# The tables that hold an institution's records (what `tracker history --table` accepts).
RECORD_TABLES = tuple(t for t in TABLE_MAP if t not in ("places", "institutions", "indicators"))


def etag(version: int) -> str:
    return f'"{version}"'


def record_items(table: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Each row (read `with_ids`) as `{"record", "version", "values"}`, by record key."""
    spec = TABLE_MAP[table]
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    items = []
    for row in frame.to_dict("records"):
        values = {str(c): plain(row[c]) for c in columns}
        items.append({"record": record_key(spec, values), "version": int(row["_version"]),
                      "values": values})
    return items


def check_record_table(table: str) -> None:
    if table not in RECORD_TABLES:
        raise ApiProblem(
            404, f"{table!r} is not a table of an institution's records; one of: "
            f"{', '.join(RECORD_TABLES)}.", kind="table",
        )


def readable_institution(session: Session, actor: Actor, key: str) -> None:
    """Refuse unless `actor` may read institution `key` (the same refusal whether it exists or
    not, from `tracker.scope`); an administrator asking for a missing one gets 404."""
    require_institution(session, actor, key)
    stmt = select(models.Institution.id).where(models.Institution.key == key)
    if readable_institutions(session, actor) is None and session.scalar(stmt) is None:
        raise ApiProblem(404, f"There is no institution {key!r}.", kind="institution")


def readable_records(
    session: Session, actor: Actor, table: str, items: list[dict[str, Any]], *,
    values: str = "values",
) -> list[dict[str, Any]]:
    """The items `actor` may read (`tracker.scope.RecordScope`: portfolio memberships of their
    portfolios only; a funder, values of approved quarters only); `values` names the member of
    each item that holds the row's columns."""
    scope = record_scope(session, actor)
    return [i for i in items if scope.allows(table, i["record"], i[values])]
