"""The audit log: one entry per write, who, when, what (before and after), and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from tracker.models import AuditEntry


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    table_name: str | None = None,
    record_key: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an audit entry in the caller's transaction: it commits or rolls back with the write."""
    session.execute(
        insert(AuditEntry).values(
            at=at or now(),
            actor=actor,
            action=action,
            table_name=table_name,
            record_key=record_key,
            before=before,
            after=after,
            reason=reason,
            detail=detail,
        )
    )


def record_audits(session: Session, entries: list[dict[str, Any]]) -> None:
    """Add many audit entries (each the keyword arguments of `record_audit`) in one statement:
    a write of thousands of rows without a file (an API quarter set) audits each row."""
    if not entries:
        return
    fields = ("actor", "action", "table_name", "record_key", "before", "after", "reason",
              "detail", "at")
    rows = [{f: entry.get(f) for f in fields} for entry in entries]
    for row in rows:
        row["at"] = row["at"] or now()
    session.execute(insert(AuditEntry), rows)
