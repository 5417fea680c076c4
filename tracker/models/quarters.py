"""The quarter's life: submissions and their review, the leadership confirmation, the
comment thread, reopening requests, notes on what was missing at submission, and the
reminders sent.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tracker import vocab
from tracker.models.base import Base, Versioned, choice, institution_fk, period_in_domain


class QuarterSubmission(Versioned, Base):
    """An evaluator's submission of an institution's quarter: while `locked`, nothing dated in
    that quarter may be written. Reopening keeps the row (and its history) and says why."""

    __tablename__ = "quarter_submissions"
    __table_args__ = (
        UniqueConstraint("institution_id", "period"),
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
        CheckConstraint(
            "locked = (state IN ('submitted', 'approved'))", name="locked_in_locked_states"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    locked: Mapped[bool] = mapped_column(Boolean, default=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str] = mapped_column(String(200))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reopened_by: Mapped[str | None] = mapped_column(String(200))
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    # The review state (tracker.writes.quarter.review): `locked` is true exactly in the locked
    # states.
    state: Mapped[str] = mapped_column(
        choice("quarter_state", vocab.QUARTER_STATES), default="submitted",
        server_default="submitted",
    )
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    returned_by: Mapped[str | None] = mapped_column(String(200))
    return_reason: Mapped[str | None] = mapped_column(Text)


class LeadershipConfirmation(Versioned, Base):
    """The evaluator's confirmation that the leadership record of an institution is up to date
    for a quarter (who holds each key role, any change logged): one item of the quarter's
    checklist. Dated in its quarter, so a submitted quarter locks it too."""

    __tablename__ = "leadership_confirmations"
    __table_args__ = (
        UniqueConstraint("institution_id", "period"),
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    note: Mapped[str | None] = mapped_column(Text)


class QuarterComment(Base):
    """One comment in the thread of an institution's quarter: a reviewer's return reason, an
    administrator's reason for reopening, or a plain comment. Comments are never edited."""

    __tablename__ = "quarter_comments"
    __table_args__ = (
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(choice("comment_kind", vocab.COMMENT_KINDS))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReopeningRequest(Base):
    """An evaluator's request that an administrator reopen a locked quarter, with a reason;
    the administrator grants (reopens the quarter) or declines it, with a note."""

    __tablename__ = "reopening_requests"
    __table_args__ = (
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
        CheckConstraint(
            "status IN ('pending', 'granted', 'declined', 'withdrawn')", name="status_is_known"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)


class SubmissionNote(Base):
    """Why an item of the quarter's checklist was still missing when the quarter was submitted
    (kept with the submission: one row per missing item, per submission)."""

    __tablename__ = "submission_notes"
    __table_args__ = (
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    item: Mapped[str] = mapped_column(String(40))
    missing: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReminderSent(Base):
    """One reminder digest sent to a person on a day: `tracker remind` sends at most one a day."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("person", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(200))
    day: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    via: Mapped[str] = mapped_column(String(20))
    items: Mapped[int] = mapped_column(Integer)
