"""The evaluator's quarter: submit it (which locks it), reopen it, see which are due, and
confirm the leadership record for it.

Who may do what:
- submit: whoever may write for the institution (an administrator, or an evaluator assigned
  to it): submitting is the evaluator's sign-off on their own quarter;
- reopen: administrators only (`REOPEN_ROLES`), with a reason. The evaluator who submitted a
  quarter cannot undo their own sign-off: funders and institutions read a submitted quarter
  as final, so changing it takes a second person, and both acts stay in the audit log;
- confirm leadership: like submit, and not in a locked quarter.

A reopened quarter keeps its `quarter_submissions` row (who submitted it, who reopened it,
why); submitting it again is a new version of that row, the earlier one kept in
`record_versions`. Every submit, reopen and confirmation is one transaction with its audit
entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor, PermissionRefused
from tracker.db import write_session
from tracker.periods import is_period, period_of
from tracker.writes.audit import now, record_audit
from tracker.writes.locks import QuarterLock, as_utc, guard_quarters, quarter_locks, when_text
from tracker.writes.permissions import check_write

REOPEN_ROLES = ("admin",)
TABLE = "quarter_submissions"


class QuarterRefused(Exception):
    """A quarter cannot be submitted, reopened or confirmed as asked; the message says why."""


@dataclass(frozen=True)
class QuarterState:
    """Where an institution's quarter stands: open, submitted (locked), or reopened."""

    institution: str
    period: str
    lock: QuarterLock | None = None
    reopened_by: str | None = None
    reopened_at: dt.datetime | None = None
    reopen_reason: str | None = None

    @property
    def locked(self) -> bool:
        return self.lock is not None

    def describe(self) -> str:
        """E.g. ``locked (submitted by ana at …)``, ``open (reopened by …: reason)``, ``open``."""
        if self.lock is not None:
            return self.lock.describe()
        if self.reopened_by and self.reopened_at:
            return (
                f"open (reopened by {self.reopened_by} at {when_text(self.reopened_at)}: "
                f"{self.reopen_reason})"
            )
        return "open (not submitted)"


def current_period(today: dt.date | None = None) -> str:
    """The quarter of today (or of the given day)."""
    return period_of(today or dt.date.today())


def may_reopen(actor: Actor) -> bool:
    return actor.role in REOPEN_ROLES


def _check_period(period: str) -> str:
    if not is_period(period):
        raise QuarterRefused(f"{period!r} is not a quarter written YYYYQn (e.g. 2024Q3).")
    return period.strip()


def _institution_id(session: Session, institution: str) -> int:
    found = session.scalar(
        select(models.Institution.id).where(models.Institution.key == institution)
    )
    if found is None:
        raise QuarterRefused(f"There is no institution {institution!r}.")
    return found


def _submission(
    session: Session, institution_id: int, period: str
) -> models.QuarterSubmission | None:
    return session.scalar(
        select(models.QuarterSubmission)
        .where(
            models.QuarterSubmission.institution_id == institution_id,
            models.QuarterSubmission.period == period,
        )
        .with_for_update()
    )


def _snapshot(row: models.QuarterSubmission) -> dict[str, Any]:
    return {
        "locked": row.locked,
        "submitted_by": row.submitted_by,
        "submitted_at": as_utc(row.submitted_at).isoformat(),
        "reopened_by": row.reopened_by,
        "reopened_at": as_utc(row.reopened_at).isoformat() if row.reopened_at else None,
        "reopen_reason": row.reopen_reason,
    }


def _keep_version(
    session: Session, row: models.QuarterSubmission, key: str, *, actor: str, at: dt.datetime
) -> None:
    session.execute(
        insert(models.RecordVersion).values(
            table_name=TABLE, record_id=row.id, record_key=key, version=row.version,
            data=_snapshot(row), recorded_at=row.recorded_at, recorded_by=row.recorded_by,
            reason=row.reason, superseded_at=at, superseded_by=actor,
        )
    )


def _state(institution: str, period: str, row: models.QuarterSubmission | None) -> QuarterState:
    if row is None:
        return QuarterState(institution, period)
    lock = (
        QuarterLock(institution, period, row.submitted_by, row.submitted_at) if row.locked else None
    )
    return QuarterState(
        institution, period, lock, row.reopened_by, row.reopened_at, row.reopen_reason
    )


def quarter_state(session: Session, *, institution: str, period: str) -> QuarterState:
    """Whether an institution's quarter is open, submitted (locked) or reopened."""
    row = session.scalar(
        select(models.QuarterSubmission)
        .join(models.Institution, models.Institution.id == models.QuarterSubmission.institution_id)
        .where(models.Institution.key == institution, models.QuarterSubmission.period == period)
    )
    return _state(institution, period, row)


def submit_quarter(engine: Engine, *, institution: str, period: str, actor: Actor) -> QuarterState:
    """Submit (and so lock) an institution's quarter. Refused when it is already submitted."""
    period = _check_period(period)
    key = f"{institution}|{period}"
    try:
        with write_session(engine) as session:
            # Permission first: a refusal must not tell whether the institution exists.
            check_write(actor, [institution])
            institution_id = _institution_id(session, institution)
            row = _submission(session, institution_id, period)
            if row is not None and row.locked:
                state = _state(institution, period, row).describe()
                raise QuarterRefused(f"{institution} {period} is already {state}.")
            at = now()
            before = None if row is None else _snapshot(row)
            if row is None:
                session.execute(
                    insert(models.QuarterSubmission).values(
                        institution_id=institution_id, period=period, locked=True,
                        submitted_at=at, submitted_by=actor.name, version=1, recorded_at=at,
                        recorded_by=actor.name,
                    )
                )
            else:
                _keep_version(session, row, key, actor=actor.name, at=at)
                session.execute(
                    update(models.QuarterSubmission)
                    .where(models.QuarterSubmission.id == row.id)
                    .values(
                        locked=True, submitted_at=at, submitted_by=actor.name,
                        version=row.version + 1, recorded_at=at, recorded_by=actor.name,
                        reason=None,
                    )
                )
            row = _submission(session, institution_id, period)
            assert row is not None
            session.refresh(row)
            record_audit(
                session, actor=actor.name, action="submit", table_name=TABLE, record_key=key,
                before=before, after=_snapshot(row), at=at,
                detail={"institutions": [institution], "period": period},
            )
            return _state(institution, period, row)
    except IntegrityError as error:
        # Two submissions of the same quarter at once (PostgreSQL): the other one won.
        raise QuarterRefused(
            f"{institution} {period} was submitted by someone else meanwhile."
        ) from error


def reopen_quarter(
    engine: Engine, *, institution: str, period: str, actor: Actor, reason: str | None
) -> QuarterState:
    """Reopen a submitted quarter: administrators only, and only with a reason."""
    period = _check_period(period)
    if not may_reopen(actor):
        raise PermissionRefused(
            f"{actor.name} ({actor.role}) may not reopen a submitted quarter; "
            f"only {', '.join(REOPEN_ROLES)} may (ask an administrator)."
        )
    if not (reason and reason.strip()):
        raise QuarterRefused("Reopening a submitted quarter needs a reason (--reason TEXT).")
    key = f"{institution}|{period}"
    with write_session(engine) as session:
        institution_id = _institution_id(session, institution)
        row = _submission(session, institution_id, period)
        if row is None or not row.locked:
            raise QuarterRefused(
                f"{institution} {period} is not submitted, so there is nothing to reopen."
            )
        at = now()
        before = _snapshot(row)
        _keep_version(session, row, key, actor=actor.name, at=at)
        session.execute(
            update(models.QuarterSubmission)
            .where(models.QuarterSubmission.id == row.id)
            .values(
                locked=False, reopened_at=at, reopened_by=actor.name,
                reopen_reason=reason.strip(), version=row.version + 1, recorded_at=at,
                recorded_by=actor.name, reason=reason.strip(),
            )
        )
        session.refresh(row)
        record_audit(
            session, actor=actor.name, action="reopen", table_name=TABLE, record_key=key,
            before=before, after=_snapshot(row), reason=reason.strip(), at=at,
            detail={"institutions": [institution], "period": period},
        )
        return _state(institution, period, row)


@dataclass(frozen=True)
class DueQuarter:
    institution: str
    name: str
    state: QuarterState


def quarters_due(
    session: Session, *, period: str, institutions: Collection[str] | None = None
) -> list[DueQuarter]:
    """The institutions (of `institutions`, or all) whose `period` is not submitted."""
    period = _check_period(period)
    stmt = select(models.Institution.key, models.Institution.name).order_by(models.Institution.key)
    if institutions is not None:
        stmt = stmt.where(models.Institution.key.in_(sorted(institutions)))
    locked = quarter_locks(session, institutions=institutions)
    due = []
    for key, name in session.execute(stmt):
        if (key, period) not in locked:
            state = quarter_state(session, institution=key, period=period)
            due.append(DueQuarter(key, name, state))
    return due


@dataclass(frozen=True)
class LeadershipConfirmed:
    institution: str
    period: str
    confirmed_by: str
    confirmed_at: dt.datetime
    note: str | None


def leadership_confirmation(
    session: Session, *, institution: str, period: str
) -> LeadershipConfirmed | None:
    """The confirmation of an institution's leadership record for a quarter, if any."""
    row = session.scalar(
        select(models.LeadershipConfirmation)
        .join(
            models.Institution,
            models.Institution.id == models.LeadershipConfirmation.institution_id,
        )
        .where(
            models.Institution.key == institution,
            models.LeadershipConfirmation.period == period,
        )
    )
    if row is None:
        return None
    return LeadershipConfirmed(institution, period, row.recorded_by, row.recorded_at, row.note)


def confirm_leadership(
    engine: Engine, *, institution: str, period: str, actor: Actor, note: str | None = None
) -> LeadershipConfirmed:
    """Record that the leadership record is up to date for the quarter (once; a second
    confirmation changes nothing). Refused in a locked quarter."""
    period = _check_period(period)
    try:
        return _confirm(engine, institution=institution, period=period, actor=actor, note=note)
    except IntegrityError as error:  # two confirmations at once (PostgreSQL): one is enough
        raise QuarterRefused(
            f"The leadership of {institution} {period} was confirmed by someone else meanwhile."
        ) from error


def _confirm(
    engine: Engine, *, institution: str, period: str, actor: Actor, note: str | None
) -> LeadershipConfirmed:
    with write_session(engine) as session:
        check_write(actor, [institution])
        institution_id = _institution_id(session, institution)
        guard_quarters(session)
        lock = quarter_locks(session, institutions=[institution]).get((institution, period))
        if lock is not None:
            raise QuarterRefused(
                f"{institution} {period} is {lock.describe()}; it must be reopened first."
            )
        existing = leadership_confirmation(session, institution=institution, period=period)
        if existing is not None:
            return existing
        at = now()
        session.execute(
            insert(models.LeadershipConfirmation).values(
                institution_id=institution_id, period=period, note=note, version=1,
                recorded_at=at, recorded_by=actor.name,
            )
        )
        record_audit(
            session, actor=actor.name, action="confirm_leadership",
            table_name="leadership_confirmations", record_key=f"{institution}|{period}",
            after={"note": note}, at=at, detail={"institutions": [institution], "period": period},
        )
        return LeadershipConfirmed(institution, period, actor.name, at, note)
