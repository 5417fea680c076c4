"""The evaluator's quarter: its state, which are due, and the confirmation of the leadership
record for it.

The review of a quarter (open → submitted → approved, submitted → returned → submitted again,
reopening by an administrator) is the state machine of `tracker.writes.quarter.review`,
declared there as a table, with its `submit` and `reopen`. This module is below it: it holds
what the review and the rest of the quarter's room share (the state of a quarter,
`QuarterState` and `quarter_state`, and the submission row's bookkeeping) and imports nothing
of the review.

Who may do what (see `tracker.writes.quarter.review.TRANSITIONS` for the whole table):
- submit: whoever may write for the institution (an administrator, or an evaluator assigned
  to it): submitting is the evaluator's sign-off on their own quarter;
- reopen: administrators only (`REOPEN_ROLES`), with a reason. The evaluator who submitted a
  quarter cannot undo their own sign-off: funders and institutions read a submitted quarter
  as final, so changing it takes a second person, and both acts stay in the audit log;
- confirm leadership: like submit, and not in a locked quarter.

A reopened quarter keeps its `quarter_submissions` row (who submitted it, who reopened it,
why); every transition is a new version of that row, the earlier one kept in
`record_versions`. Every transition and confirmation is one transaction with its audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor
from tracker.db import write_session
from tracker.periods import is_period, period_of
from tracker.writes.history.audit import now, record_audit
from tracker.writes.permissions import check_write
from tracker.writes.quarter.locks import (
    QuarterLock,
    as_utc,
    guard_quarters,
    quarter_locks,
    when_text,
)

REOPEN_ROLES = ("admin",)
TABLE = "quarter_submissions"


class QuarterRefused(Exception):
    """A quarter cannot be moved or confirmed as asked (state, missing text); the message says
    why."""


@dataclass(frozen=True)
class QuarterState:
    """Where an institution's quarter stands: `state` is open, submitted, returned or approved
    (`tracker.vocab.QUARTER_STATES`); `lock` is set in the locked states (submitted, approved)."""

    institution: str
    period: str
    lock: QuarterLock | None = None
    reopened_by: str | None = None
    reopened_at: dt.datetime | None = None
    reopen_reason: str | None = None
    state: str = "open"
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    returned_by: str | None = None
    returned_at: dt.datetime | None = None
    return_reason: str | None = None
    submitted_by: str | None = None
    submitted_at: dt.datetime | None = None

    @property
    def locked(self) -> bool:
        return self.lock is not None

    def describe(self) -> str:
        """E.g. ``locked (submitted by ana at …)``, ``locked (approved by rita at …; submitted
        by ana at …)``, ``returned by rita at …: reason``, ``open (reopened by …: reason)``."""
        if self.state == "approved" and self.lock and self.approved_by and self.approved_at:
            return (
                f"locked (approved by {self.approved_by} at {when_text(self.approved_at)}; "
                f"submitted by {self.lock.submitted_by} at {when_text(self.lock.submitted_at)})"
            )
        if self.lock is not None:
            return self.lock.describe()
        if self.state == "returned" and self.returned_by and self.returned_at:
            return (
                f"returned by {self.returned_by} at {when_text(self.returned_at)}: "
                f"{self.return_reason} (open for corrections, then submit again)"
            )
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


def check_period(period: str) -> str:
    """The quarter, or `QuarterRefused` when it is not written YYYYQn."""
    if not is_period(period):
        raise QuarterRefused(f"{period!r} is not a quarter written YYYYQn (e.g. 2024Q3).")
    return period.strip()


def institution_id(session: Session, institution: str) -> int:
    """The institution's id, or `QuarterRefused` when there is none so keyed."""
    found = session.scalar(
        select(models.Institution.id).where(models.Institution.key == institution)
    )
    if found is None:
        raise QuarterRefused(f"There is no institution {institution!r}.")
    return found


def submission_row(
    session: Session, institution_id: int, period: str
) -> models.QuarterSubmission | None:
    """The quarter's submission row, locked for this transaction (PostgreSQL)."""
    return session.scalar(
        select(models.QuarterSubmission)
        .where(
            models.QuarterSubmission.institution_id == institution_id,
            models.QuarterSubmission.period == period,
        )
        .with_for_update()
    )


def _when(moment: dt.datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def snapshot(row: models.QuarterSubmission) -> dict[str, Any]:
    """The submission row as its audit entries and earlier versions keep it."""
    return {
        "state": row.state,
        "locked": row.locked,
        "submitted_by": row.submitted_by,
        "submitted_at": _when(row.submitted_at),
        "approved_by": row.approved_by,
        "approved_at": _when(row.approved_at),
        "returned_by": row.returned_by,
        "returned_at": _when(row.returned_at),
        "return_reason": row.return_reason,
        "reopened_by": row.reopened_by,
        "reopened_at": _when(row.reopened_at),
        "reopen_reason": row.reopen_reason,
    }


def keep_version(
    session: Session, row: models.QuarterSubmission, key: str, *, actor: str, at: dt.datetime
) -> None:
    """Copy the row as it is into `record_versions` before it changes."""
    session.execute(
        insert(models.RecordVersion).values(
            table_name=TABLE, record_id=row.id, record_key=key, version=row.version,
            data=snapshot(row), recorded_at=row.recorded_at, recorded_by=row.recorded_by,
            reason=row.reason, superseded_at=at, superseded_by=actor,
        )
    )


def state_of(
    institution: str, period: str, row: models.QuarterSubmission | None
) -> QuarterState:
    """The `QuarterState` a submission row (or its absence: open) stands for."""
    if row is None:
        return QuarterState(institution, period)
    lock = (
        QuarterLock(institution, period, row.submitted_by, row.submitted_at) if row.locked else None
    )
    return QuarterState(
        institution, period, lock, row.reopened_by, row.reopened_at, row.reopen_reason,
        state=row.state, approved_by=row.approved_by, approved_at=row.approved_at,
        returned_by=row.returned_by, returned_at=row.returned_at,
        return_reason=row.return_reason, submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
    )


def quarter_state(session: Session, *, institution: str, period: str) -> QuarterState:
    """Whether an institution's quarter is open, submitted, returned or approved."""
    row = session.scalar(
        select(models.QuarterSubmission)
        .join(models.Institution, models.Institution.id == models.QuarterSubmission.institution_id)
        .where(models.Institution.key == institution, models.QuarterSubmission.period == period)
    )
    return state_of(institution, period, row)


@dataclass(frozen=True)
class DueQuarter:
    institution: str
    name: str
    state: QuarterState


def quarters_due(
    session: Session, *, period: str, institutions: Collection[str] | None = None
) -> list[DueQuarter]:
    """The institutions (of `institutions`, or all) whose `period` is not submitted."""
    period = check_period(period)
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
    period = check_period(period)
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
        inst_id = institution_id(session, institution)
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
                institution_id=inst_id, period=period, note=note, version=1,
                recorded_at=at, recorded_by=actor.name,
            )
        )
        record_audit(
            session, actor=actor.name, action="confirm_leadership",
            table_name="leadership_confirmations", record_key=f"{institution}|{period}",
            after={"note": note}, at=at, detail={"institutions": [institution], "period": period},
        )
        return LeadershipConfirmed(institution, period, actor.name, at, note)
