"""What happened to the data: earlier versions of every corrected row, the audit log, where
a row written by a source import came from, and
which tracker version migrated the schema to each revision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class RecordVersion(Base):
    """An earlier version of a domain row, kept when the row was corrected: nothing is lost."""

    __tablename__ = "record_versions"
    __table_args__ = (
        UniqueConstraint("table_name", "record_id", "version"),
        Index("ix_record_versions_lookup", "table_name", "record_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[int] = mapped_column(Integer)
    # The row's identity as the workbook writes it, e.g. "wigan|resident_trust|2024Q3".
    record_key: Mapped[str] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    superseded_by: Mapped[str] = mapped_column(String(200))


class AuditEntry(Base):
    """One entry per write: who, when, what (before and after), and why."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    table_name: Mapped[str | None] = mapped_column(String(100))
    record_key: Mapped[str | None] = mapped_column(String(500))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SourceRecord(Base):
    """Where a row written by a source import came from (`tracker import --from`): the tool,
    the record's lasting id there (a Kobo rootUuid, an ODK KEY, a DHIS2 value's data element,
    period, organisation unit and category option combination, a 360Giving grant id) and the
    version of it that was written (an edit in the tool changes the version, not the id). One
    row per written row, named as the audit names it (table and record key)."""

    __tablename__ = "source_records"
    __table_args__ = (UniqueConstraint("table_name", "record_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(String(400))
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(300), index=True)
    source_version: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))


class SchemaVersion(Base):
    """Which tracker version migrated the database to each schema revision (written by every
    upgrade, `tracker.migrate.record_tracker_version`), so that an older tracker that does not
    know a revision can say which version it needs."""

    __tablename__ = "tracker_schema_versions"
    revision: Mapped[str] = mapped_column(String(32), primary_key=True)
    tracker_version: Mapped[str] = mapped_column(String(32))
    migrated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
