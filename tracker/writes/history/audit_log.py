"""Reading the audit log: what `tracker audit` prints and the dashboard shows.

A non-administrator sees only the entries `tracker.scope.audit_scope` allows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor
from tracker.scope import audit_scope
from tracker.writes.quarter.locks import as_utc


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry: who did what, when, to which record, with before, after and why."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    table: str | None
    record: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    detail: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "table": self.table,
            "record": self.record,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "detail": self.detail,
        }


def audit_entries(
    session: Session, *, actor: Actor, since: dt.date | None = None, after: int | None = None,
    limit: int | None = None,
) -> list[AuditRecord]:
    """The entries `actor` may see, oldest first; from the start of day `since` (UTC) on.

    `after` and `limit` page through them: at most `limit` entries whose id is above `after`.
    """
    stmt = select(models.AuditEntry).order_by(models.AuditEntry.id)
    if after is not None:
        stmt = stmt.where(models.AuditEntry.id > after)
    if since is not None:
        stmt = stmt.where(
            models.AuditEntry.at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
        )
    scope = audit_scope(session, actor)
    found = []
    for entry in session.scalars(stmt):
        if scope is not None and not scope.allows(
            actor=entry.actor, table_name=entry.table_name, record_key=entry.record_key
        ):
            continue
        found.append(
            AuditRecord(
                id=entry.id, at=as_utc(entry.at), actor=entry.actor, action=entry.action,
                table=entry.table_name, record=entry.record_key, before=entry.before,
                after=entry.after, reason=entry.reason, detail=entry.detail,
            )
        )
        if limit is not None and len(found) >= limit:
            break
    return found
