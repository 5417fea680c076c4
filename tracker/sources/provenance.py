"""Provenance of source imports: which tool, record and version each written row came from
(`models.SourceRecord`), and the corrections a source makes by itself.

A stored row whose provenance names the same tool and the same lasting id, but another version,
was edited in the tool (an ODK edit, a Kobo edit keeping its rootUuid, a DHIS2 value updated
since): the import corrects it, with history, its reason naming the tool and the id. Any other
change of a stored value is refused as for a workbook (import with --correct --reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from tracker import models
from tracker.sources.translation import Translation
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.imports.bulk import insert_columns
from tracker.writes.imports.plan import TablePlan

# Record keys bound in one IN list at most.
_CHUNK = 500


def identity_keys(table: str, frame: pd.DataFrame) -> pd.Series:
    """Each row's record key (as the audit names it: identity values joined by "|")."""
    parts = []
    for column in TABLE_MAP[table].identity:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d")
        parts.append(values.astype(str).str.strip())
    keys = parts[0]
    for part in parts[1:]:
        keys = keys + "|" + part
    return keys


class SourceOrigins:
    """The `RowOrigins` of one source import (see `tracker.writes.imports.importer`)."""

    def __init__(self, source: str, tool: str, translation: Translation) -> None:
        self.source, self.tool = source, tool
        self.origins: dict[str, pd.DataFrame] = {}
        for table, cells in translation.tables.items():
            origin = translation.origins[table].copy()
            origin.index = identity_keys(table, cells)
            self.origins[table] = origin

    def _stored(
        self, session: Session, table: str, keys: list[str]
    ) -> dict[str, tuple[str, str, str]]:
        found = {}
        record = models.SourceRecord
        for start in range(0, len(keys), _CHUNK):
            rows = session.execute(
                select(record.record_key, record.source, record.source_id, record.source_version)
                .where(record.table_name == table,
                       record.record_key.in_(keys[start:start + _CHUNK]))
            )
            found.update({key: (source, sid, version) for key, source, sid, version in rows})
        return found

    def correction_reasons(
        self, session: Session, plans: Mapping[str, TablePlan]
    ) -> dict[tuple[str, str], str]:
        reasons = {}
        for table, plan in plans.items():
            if not plan.corrections or table not in self.origins:
                continue
            keys = [c.record_key for c in plan.corrections]
            stored = self._stored(session, table, keys)
            origin = self.origins[table]
            for key in keys:
                if key not in stored or key not in origin.index:
                    continue
                source, source_id, version = stored[key]
                ours = origin.loc[key]
                # The same record in a new version, or (an export whose id changes with each
                # edit) a record that says which stored version it replaces.
                same_record = source_id == ours["_source_id"] and version != ours["_version"]
                replaces = ours["_previous"] != "" and version == ours["_previous"]
                if source == self.source and (same_record or replaces):
                    new = ours["_version"] or "(none)"
                    reasons[(table, key)] = (
                        f"{self.tool} record {ours['_source_id']} was edited in {self.tool} "
                        f"(version {version or '(none)'} replaced by {new})"
                    )
        return reasons

    def record(
        self, session: Session, plans: Mapping[str, TablePlan], *, actor: str, at: dt.datetime
    ) -> None:
        record = models.SourceRecord
        for table, plan in plans.items():
            if table not in self.origins:
                continue
            origin = self.origins[table]
            corrected = [c.record_key for c in plan.corrections]
            for start in range(0, len(corrected), _CHUNK):
                session.execute(delete(record).where(
                    tuple_(record.table_name, record.record_key).in_(
                        [(table, k) for k in corrected[start:start + _CHUNK]])))
            keys = pd.concat([identity_keys(table, plan.new), pd.Series(corrected, dtype=object)])
            rows = origin.loc[origin.index.intersection(pd.Index(keys))]
            if len(rows) == 0:
                continue
            insert_columns(
                session.connection(), record.__table__,  # type: ignore[arg-type]
                {"record_key": rows.index.tolist(), "source_id": rows["_source_id"].tolist(),
                 "source_version": rows["_version"].tolist()},
                constants={"table_name": table, "source": self.source, "recorded_at": at,
                           "recorded_by": actor},
            )


def provenance_of(session: Session, table: str, record_key: str) -> tuple[str, str, str] | None:
    """(tool, lasting id, version) a stored row came from, or None (not from a source)."""
    row = session.execute(
        select(models.SourceRecord.source, models.SourceRecord.source_id,
               models.SourceRecord.source_version)
        .where(models.SourceRecord.table_name == table,
               models.SourceRecord.record_key == record_key)
    ).first()
    return None if row is None else (row[0], row[1], row[2])
