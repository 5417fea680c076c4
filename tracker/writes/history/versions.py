"""Every version of a record: the stored row (the current version) and the earlier versions
that corrections moved to `record_versions`, each with who recorded it, when and why.

`tracker history`, the dashboard and the conflict messages read versions through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import models
from tracker.queries import read_table
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.imports.plan import record_key
from tracker.writes.imports.table_mapping import MAPPING_BY_NAME, stored_table
from tracker.writes.imports.values import plain, text
from tracker.writes.quarter.locks import as_utc

# Ids per IN (...) list: far below SQLite's limit on bound parameters.
ID_CHUNK = 500


@dataclass(frozen=True)
class Version:
    """One version of a record, as the workbook writes its columns."""

    table: str
    record_key: str
    record_id: int
    version: int
    data: dict[str, Any]
    recorded_by: str
    recorded_at: dt.datetime
    reason: str | None
    current: bool
    # Whether this version of the row is retracted (out of every read but history).
    retracted: bool = False
    # "retracted" when this version retracted the row, "restored" when it brought it back,
    # None otherwise (set by `versions_of`, which sees the version before).
    event: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "record": self.record_key,
            "version": self.version,
            "current": self.current,
            "retracted": self.retracted,
            "event": self.event,
            "data": self.data,
            "recorded_by": self.recorded_by,
            "recorded_at": as_utc(self.recorded_at).isoformat(),
            "reason": self.reason,
        }


def _chunks(ids: Collection[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), ID_CHUNK):
        yield ordered[start : start + ID_CHUNK]


def _stamps(session: Session, table: str, ids: Collection[int]) -> dict[int, Any]:
    model_table = stored_table(MAPPING_BY_NAME[table])
    stamps: dict[int, Any] = {}
    for chunk in _chunks(ids):
        stmt = select(
            model_table.c.id, model_table.c.recorded_by, model_table.c.recorded_at,
            model_table.c.reason,
        ).where(model_table.c.id.in_(chunk))
        stamps.update({row.id: row for row in session.execute(stmt)})
    return stamps


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as dicts keyed by column name."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _row_data(row: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): plain(v) for k, v in row.items() if not str(k).startswith("_")}


def current_versions(session: Session, table: str, rows: pd.DataFrame) -> list[Version]:
    """The current version of each stored row of `rows` (a frame read with `with_ids=True`)."""
    stamps = _stamps(session, table, set(int(i) for i in rows["_id"]))
    versions = []
    for row in records(rows):
        stamp = stamps[int(row["_id"])]
        versions.append(
            Version(
                table=table,
                record_key=record_key(TABLE_MAP[table], row),
                record_id=int(row["_id"]),
                version=int(row["_version"]),
                data=_row_data(row),
                recorded_by=stamp.recorded_by,
                recorded_at=stamp.recorded_at,
                reason=stamp.reason,
                current=True,
                retracted=bool(row.get("_retracted", False)),
            )
        )
    return versions


def earlier_versions(session: Session, table: str, ids: Collection[int]) -> list[Version]:
    """The versions that corrections kept, of the rows with these ids."""
    found = []
    for chunk in _chunks(ids):
        stmt = select(models.RecordVersion).where(
            models.RecordVersion.table_name == table, models.RecordVersion.record_id.in_(chunk)
        )
        for kept in session.scalars(stmt):
            data = dict(kept.data)
            # A version kept by a retraction or a restoration carries its retracted state.
            retracted = bool(data.pop("retracted", False))
            found.append(
                Version(
                    table=table,
                    record_key=kept.record_key,
                    record_id=kept.record_id,
                    version=kept.version,
                    data=data,
                    recorded_by=kept.recorded_by,
                    recorded_at=kept.recorded_at,
                    reason=kept.reason,
                    current=False,
                    retracted=retracted,
                )
            )
    return found


def versions_of(session: Session, table: str, rows: pd.DataFrame) -> list[Version]:
    """Every version of the given stored rows, by record then version (oldest first)."""
    if len(rows) == 0:
        return []
    ids = set(int(i) for i in rows["_id"])
    versions = earlier_versions(session, table, ids) + current_versions(session, table, rows)
    ordered = sorted(versions, key=lambda v: (v.record_key, v.version))
    return _with_events(ordered)


def _with_events(versions: list[Version]) -> list[Version]:
    """Each version marked "retracted" or "restored" where its retracted state differs from
    the version before it (of the same record)."""
    out: list[Version] = []
    for position, version in enumerate(versions):
        before = versions[position - 1] if position else None
        event = None
        if before is not None and before.record_id == version.record_id:
            if version.retracted and not before.retracted:
                event = "retracted"
            elif before.retracted and not version.retracted:
                event = "restored"
        elif version.retracted:
            event = "retracted"
        out.append(replace(version, event=event))
    return out


def record_versions(session: Session, table: str, record_id: int) -> list[Version]:
    """Every version of one record, oldest first."""
    rows = read_table(session, table, with_ids=True, record_ids=[record_id])
    return versions_of(session, table, rows)


def institution_history(
    session: Session,
    *,
    institution: str,
    table: str = "indicator_values",
    indicator: str | None = None,
    period: str | None = None,
) -> list[Version]:
    """Every version of an institution's rows of one table (optionally one indicator and/or
    one period), by record then version. Retracted rows are included: their retraction (who,
    when, why) and the versions before it are their history. Reading scope is the caller's to
    check."""
    rows = read_table(
        session, table, institutions=[institution], with_ids=True, include_retracted=True
    )
    if indicator is not None and "indicator" in rows:
        rows = rows[rows["indicator"] == indicator]
    if period is not None and "period" in rows:
        rows = rows[rows["period"] == period]
    return versions_of(session, table, rows)


def differences(older: Mapping[str, Any], newer: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """column → (old, new) for the columns both versions hold and that differ."""
    return {
        column: (older[column], newer[column])
        for column in older
        if column in newer and plain(older[column]) != plain(newer[column])
    }


def differences_text(changes: Mapping[str, tuple[Any, Any]]) -> str:
    """E.g. ``value 61 → 63, source (empty) → survey``."""
    return ", ".join(f"{c} {text(old)} → {text(new)}" for c, (old, new) in changes.items())
