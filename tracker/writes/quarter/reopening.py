"""Requests to reopen a locked quarter: whoever may write for the institution (the evaluator
who submitted it, say) asks, with a reason; an administrator grants the request (which reopens
the quarter, `tracker.writes.quarter.review.reopen`, with the request's reason) or declines it
with a note.

A quarter has at most one pending request at a time. Every request and decision is audited
(actions `request_reopening`, `grant_reopening`, `decline_reopening`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor, PermissionRefused
from tracker.db import write_session
from tracker.writes.history.audit import now, record_audit
from tracker.writes.permissions import check_write
from tracker.writes.quarter.locks import quarter_locks
from tracker.writes.quarter.review import reopen
from tracker.writes.quarter.state import QuarterRefused, may_reopen

TABLE = "reopening_requests"
PENDING = "pending"


@dataclass(frozen=True)
class ReopeningRequest:
    id: int
    institution: str
    period: str
    reason: str
    requested_by: str
    requested_at: dt.datetime
    status: str
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    decision_note: str | None = None


def _institution_id(session: Session, institution: str) -> int:
    found = session.scalar(
        select(models.Institution.id).where(models.Institution.key == institution)
    )
    if found is None:
        raise QuarterRefused(f"There is no institution {institution!r}.")
    return found


def _requests(
    session: Session,
    *,
    status: str | None = None,
    institutions: Collection[str] | None = None,
    period: str | None = None,
    request_id: int | None = None,
) -> list[ReopeningRequest]:
    model = models.ReopeningRequest
    stmt = (
        select(model, models.Institution.key)
        .join(models.Institution, models.Institution.id == model.institution_id)
        .order_by(model.requested_at, model.id)
    )
    if status is not None:
        stmt = stmt.where(model.status == status)
    if institutions is not None:
        stmt = stmt.where(models.Institution.key.in_(sorted(institutions)))
    if period is not None:
        stmt = stmt.where(model.period == period)
    if request_id is not None:
        stmt = stmt.where(model.id == request_id)
    return [
        ReopeningRequest(
            row.id,
            key,
            row.period,
            row.reason,
            row.requested_by,
            row.requested_at,
            row.status,
            row.decided_by,
            row.decided_at,
            row.decision_note,
        )
        for row, key in session.execute(stmt)
    ]


def pending_requests(
    session: Session, *, institutions: Collection[str] | None = None, period: str | None = None
) -> list[ReopeningRequest]:
    """Requests still waiting for an administrator, oldest first."""
    return _requests(session, status=PENDING, institutions=institutions, period=period)


def request_reopening(
    engine: Engine, *, institution: str, period: str, actor: Actor, reason: str | None
) -> ReopeningRequest:
    """Ask an administrator to reopen a locked quarter. Refused without a reason, for a quarter
    that is not locked, or when a request for it is already pending."""
    text = (reason or "").strip()
    if not text:
        raise QuarterRefused("A request to reopen a quarter needs a reason.")
    with write_session(engine) as session:
        check_write(actor, [institution])
        institution_id = _institution_id(session, institution)
        if (institution, period) not in quarter_locks(session, institutions=[institution]):
            raise QuarterRefused(
                f"{institution} {period} is not locked: there is nothing to reopen."
            )
        waiting = pending_requests(session, institutions=[institution], period=period)
        if waiting:
            first = waiting[0]
            raise QuarterRefused(
                f"A request to reopen {institution} {period} is already waiting (asked by "
                f"{first.requested_by}); an administrator will see it."
            )
        at = now()
        new_id = session.execute(
            insert(models.ReopeningRequest)
            .values(
                institution_id=institution_id,
                period=period,
                reason=text,
                requested_by=actor.name,
                requested_at=at,
                status=PENDING,
            )
            .returning(models.ReopeningRequest.id)
        ).scalar_one()
        record_audit(
            session,
            actor=actor.name,
            action="request_reopening",
            table_name=TABLE,
            record_key=f"{institution}|{period}",
            after={"id": new_id, "reason": text},
            reason=text,
            at=at,
            detail={"institutions": [institution], "period": period},
        )
        return _requests(session, request_id=new_id)[0]


def decide_request(
    engine: Engine, *, request_id: int, actor: Actor, grant: bool, note: str | None = None
) -> ReopeningRequest:
    """An administrator grants (the quarter is reopened with the request's reason) or declines
    (with a note, which is required) a pending request."""
    if not may_reopen(actor):
        raise PermissionRefused(
            f"{actor.name} ({actor.role}) may not decide on reopening requests; administrators do."
        )
    with write_session(engine) as session:
        found = _requests(session, request_id=request_id)
    if not found:
        raise QuarterRefused(f"There is no reopening request {request_id}.")
    request = found[0]
    if request.status != PENDING:
        raise QuarterRefused(
            f"Request {request_id} was already {request.status} by {request.decided_by}."
        )
    text = (note or "").strip() or None
    if not grant and text is None:
        raise QuarterRefused("Declining a reopening request needs a note saying why.")
    if grant:
        reopen(
            engine,
            institution=request.institution,
            period=request.period,
            actor=actor,
            reason=f"request {request_id} by {request.requested_by}: {request.reason}",
        )
    status = "granted" if grant else "declined"
    at = now()
    with write_session(engine) as session:
        session.execute(
            update(models.ReopeningRequest)
            .where(models.ReopeningRequest.id == request_id)
            .values(status=status, decided_by=actor.name, decided_at=at, decision_note=text)
        )
        record_audit(
            session,
            actor=actor.name,
            action=f"{'grant' if grant else 'decline'}_reopening",
            table_name=TABLE,
            record_key=f"{request.institution}|{request.period}",
            before={"id": request_id, "status": PENDING},
            after={"id": request_id, "status": status, "note": text},
            reason=text,
            at=at,
            detail={"institutions": [request.institution], "period": request.period},
        )
        return _requests(session, request_id=request_id)[0]
