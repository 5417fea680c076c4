"""The review of an institution's quarter: a state machine declared as data.

States (`tracker.vocab.QUARTER_STATES`):
- ``open``: the evaluator fills the quarter in (a quarter never submitted is open);
- ``submitted``: the evaluator signed it off; locked; it waits for a reviewer;
- ``returned``: a reviewer sent it back with a comment; open again for corrections (nothing
  is locked) until the evaluator submits it again;
- ``approved``: a reviewer accepted it; locked; funders read approved quarters by default.

"Locked" means submitted or approved (`tracker.vocab.LOCKED_STATES`): nothing dated in a
locked quarter may be written (`tracker.writes.quarter.locks`).

Who may move a quarter where is the table `TRANSITIONS` (state × action → new state, the roles
allowed, what text the action needs). Beyond the role, every actor must be in scope:
administrators everywhere; evaluators and reviewers only for the institutions assigned to them.
Approving and returning are a second person's act: whoever submitted the quarter may not
approve or return it, not even an administrator (`not_by_submitter`).

Every transition is one transaction with its audit entry (who, when, why) and, when it carries
a text (a return's comment, a reopening's reason), with that text added to the quarter's
comment thread. The submission row keeps its history in `record_versions`.

Entry points: `transition` (any action of the table), and `submit`, `approve`, `return_`,
`reopen`, `comment`; reading: `review_status` (state, thread, values changed since approval)
and `allowed_actions` (what an actor may do now, for buttons and CLI hints).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import models, vocab
from tracker.access import Actor, PermissionRefused
from tracker.db import write_session
from tracker.periods import period_of
from tracker.workbook.schema import READ_ONLY_TABLES, TABLE_MAP
from tracker.writes.history.audit import now, record_audit
from tracker.writes.quarter.locks import as_utc, when_text

if TYPE_CHECKING:
    import pandas as pd

from tracker.writes.history.staleness import mark_written
from tracker.writes.quarter.state import (
    TABLE,
    QuarterRefused,
    QuarterState,
    check_period,
    institution_id,
    keep_version,
    quarter_state,
    snapshot,
    state_of,
    submission_row,
)

OPEN, SUBMITTED, RETURNED, APPROVED = vocab.QUARTER_STATES


@dataclass(frozen=True)
class Transition:
    """One row of the review table: in `state`, `action` by one of `roles` leads to `to`."""

    state: str
    action: str
    to: str
    roles: tuple[str, ...]
    # "comment" or "reason": the action needs that text (kept in the thread and the audit log).
    needs: str | None = None
    # The person who submitted the quarter may not take this action on it.
    not_by_submitter: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(OPEN, "submit", SUBMITTED, ("admin", "evaluator")),
    Transition(RETURNED, "submit", SUBMITTED, ("admin", "evaluator")),
    Transition(SUBMITTED, "approve", APPROVED, ("admin", "reviewer"), not_by_submitter=True),
    Transition(
        SUBMITTED, "return", RETURNED, ("admin", "reviewer"), needs="comment",
        not_by_submitter=True,
    ),
    Transition(SUBMITTED, "reopen", OPEN, ("admin",), needs="reason"),
    Transition(APPROVED, "reopen", OPEN, ("admin",), needs="reason"),
)
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
# Who may add a plain comment to a quarter's thread (in scope, any state).
COMMENT_ROLES = ("admin", "evaluator", "reviewer")

_OPTION = {"comment": "--reason TEXT", "reason": "--reason TEXT"}


def _find(state: str, action: str) -> Transition | None:
    for row in TRANSITIONS:
        if row.state == state and row.action == action:
            return row
    return None


def in_scope(actor: Actor, institution: str) -> bool:
    """Administrators act everywhere; evaluators and reviewers for their institutions."""
    return actor.is_admin or institution in actor.institutions


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: `permission` (role, scope, submitter) or not (state, text)."""

    why: str
    permission: bool

    def error(self) -> Exception:
        return PermissionRefused(self.why) if self.permission else QuarterRefused(self.why)


def refusal(
    actor: Actor, action: str, state: QuarterState, text: str | None = None
) -> Refusal | None:
    """Why `actor` may not take `action` on the quarter now (None: they may).

    The checks, in order: the action exists; the role may take it at all; the institution is
    in the actor's scope; the quarter is in a state the action starts from; the role may take
    it from this state; the submitter is not the one approving or returning; the needed text
    is given.
    """
    who = f"{actor.name} ({actor.role})"
    if action not in ACTIONS:
        return Refusal(f"There is no action {action!r}; one of: {', '.join(ACTIONS)}.", False)
    roles = sorted({r for t in TRANSITIONS if t.action == action for r in t.roles})
    if actor.role not in roles:
        return Refusal(f"{who} may not {action} a quarter; only {', '.join(roles)} may.", True)
    if not in_scope(actor, state.institution):
        return Refusal(f"{who} is not assigned to {state.institution}.", True)
    row = _find(state.state, action)
    if row is None:
        starts = [t.state for t in TRANSITIONS if t.action == action]
        already = "already " if any(t.to == state.state for t in TRANSITIONS
                                    if t.action == action) else ""
        return Refusal(
            f"{state.institution} {state.period} is {already}{state.describe()}; only a quarter "
            f"that is {' or '.join(dict.fromkeys(starts))} can be {_past(action)}.", False,
        )
    if actor.role not in row.roles:
        return Refusal(
            f"{who} may not {action} a {state.state} quarter; only {', '.join(row.roles)} may.",
            True,
        )
    if row.not_by_submitter and state.submitted_by == actor.name:
        return Refusal(
            f"{actor.name} submitted {state.institution} {state.period}, so may not {action} "
            "it: a second person reviews a quarter.", True,
        )
    if row.needs and not (text and text.strip()):
        return Refusal(f"To {action} a quarter needs a {row.needs} ({_OPTION[row.needs]}).", False)
    return None


def _past(action: str) -> str:
    return {"submit": "submitted", "approve": "approved", "return": "returned",
            "reopen": "reopened"}.get(action, action)


def allowed_actions(actor: Actor, state: QuarterState) -> list[str]:
    """The actions `actor` may take on the quarter now (texts aside): for buttons and hints."""
    return [
        t.action for t in TRANSITIONS
        if t.state == state.state and refusal(actor, t.action, state, text="x") is None
    ]


def _values(action: str, actor: Actor, at: dt.datetime, text: str | None) -> dict[str, Any]:
    """The submission row's columns an action sets (besides state, locked and the stamp)."""
    if action == "submit":
        return {"submitted_at": at, "submitted_by": actor.name, "returned_at": None,
                "returned_by": None, "return_reason": None, "reason": None}
    if action == "approve":
        return {"approved_at": at, "approved_by": actor.name, "reason": None}
    if action == "return":
        return {"returned_at": at, "returned_by": actor.name, "return_reason": text,
                "reason": text}
    return {"reopened_at": at, "reopened_by": actor.name, "reopen_reason": text, "reason": text}


def transition(
    engine: Engine, *, institution: str, period: str, action: str, actor: Actor,
    text: str | None = None,
) -> QuarterState:
    """Take `action` on an institution's quarter, as `TRANSITIONS` allows; the new state.

    Refusals: `PermissionRefused` (role, scope, submitter), `QuarterRefused` (state, missing
    text, unknown institution or quarter). Nothing is written when refused.
    """
    period = check_period(period)
    text = text.strip() if text and text.strip() else None
    key = f"{institution}|{period}"
    try:
        with write_session(engine) as session:
            # Permission before existence: a refusal must not tell whether an institution exists.
            if action not in ACTIONS or not in_scope(actor, institution):
                _refuse(refusal(actor, action, QuarterState(institution, period)))
            inst_id = institution_id(session, institution)
            row = submission_row(session, inst_id, period)
            state = state_of(institution, period, row)
            _refuse(refusal(actor, action, state, text))
            to = next(t.to for t in TRANSITIONS if t.state == state.state and t.action == action)
            at = now()
            columns = {**_values(action, actor, at, text), "state": to,
                       "locked": to in vocab.LOCKED_STATES, "recorded_at": at,
                       "recorded_by": actor.name}
            before = None if row is None else snapshot(row)
            if row is None:
                session.execute(
                    insert(models.QuarterSubmission).values(
                        institution_id=inst_id, period=period, version=1, **columns
                    )
                )
            else:
                keep_version(session, row, key, actor=actor.name, at=at)
                session.execute(
                    update(models.QuarterSubmission)
                    .where(models.QuarterSubmission.id == row.id)
                    .values(version=row.version + 1, **columns)
                )
            row = submission_row(session, inst_id, period)
            assert row is not None
            session.refresh(row)
            if text is not None:
                kind = "return" if action == "return" else "reopen"
                _add_comment(session, inst_id, period, kind=kind, text=text, actor=actor, at=at)
            record_audit(
                session, actor=actor.name, action=action, table_name=TABLE, record_key=key,
                before=before, after=snapshot(row), reason=text, at=at,
                detail={"institutions": [institution], "period": period,
                        "from": state.state, "to": to},
            )
            # What a funder reads depends on which quarters are approved: the stored results
            # of the funders' view are made stale with the transition (`tracker.store`).
            mark_written(session, [institution])
            return state_of(institution, period, row)
    except IntegrityError as error:
        # Two first submissions of the same quarter at once (PostgreSQL): the other one won.
        raise QuarterRefused(f"{institution} {period} was changed by someone else meanwhile.") \
            from error


def _refuse(why: Refusal | None) -> None:
    if why is not None:
        raise why.error()


def submit(engine: Engine, *, institution: str, period: str, actor: Actor) -> QuarterState:
    """open or returned → submitted (locked), by the evaluator (or an administrator)."""
    return transition(engine, institution=institution, period=period, action="submit",
                      actor=actor)


def approve(engine: Engine, *, institution: str, period: str, actor: Actor) -> QuarterState:
    """submitted → approved (stays locked), by a reviewer who did not submit it."""
    return transition(engine, institution=institution, period=period, action="approve",
                      actor=actor)


def return_(
    engine: Engine, *, institution: str, period: str, actor: Actor, comment: str | None
) -> QuarterState:
    """submitted → returned (open for corrections), by a reviewer, with a required comment."""
    return transition(engine, institution=institution, period=period, action="return",
                      actor=actor, text=comment)


def reopen(
    engine: Engine, *, institution: str, period: str, actor: Actor, reason: str | None
) -> QuarterState:
    """submitted or approved → open, by an administrator, with a required reason."""
    return transition(engine, institution=institution, period=period, action="reopen",
                      actor=actor, text=reason)


@dataclass(frozen=True)
class Comment:
    """One entry of a quarter's thread."""

    institution: str
    period: str
    kind: str
    text: str
    author: str
    at: dt.datetime


def _add_comment(
    session: Session, inst_id: int, period: str, *, kind: str, text: str, actor: Actor,
    at: dt.datetime,
) -> None:
    session.execute(
        insert(models.QuarterComment).values(
            institution_id=inst_id, period=period, kind=kind, text=text, author=actor.name,
            at=at,
        )
    )


def comment(
    engine: Engine, *, institution: str, period: str, actor: Actor, text: str | None
) -> Comment:
    """Add a comment to a quarter's thread (evaluators, reviewers in scope; administrators);
    audited. Any state: a comment changes nothing else."""
    period = check_period(period)
    if actor.role not in COMMENT_ROLES or not in_scope(actor, institution):
        raise PermissionRefused(
            f"{actor.name} ({actor.role}) may not comment on {institution} {period}."
        )
    if not (text and text.strip()):
        raise QuarterRefused("A comment needs a text (--text TEXT).")
    body = text.strip()
    with write_session(engine) as session:
        inst_id = institution_id(session, institution)
        at = now()
        _add_comment(session, inst_id, period, kind="comment", text=body, actor=actor, at=at)
        record_audit(
            session, actor=actor.name, action="comment", table_name="quarter_comments",
            record_key=f"{institution}|{period}", after={"text": body}, at=at,
            detail={"institutions": [institution], "period": period},
        )
    return Comment(institution, period, "comment", body, actor.name, at)


def thread(session: Session, *, institution: str, period: str) -> list[Comment]:
    """The quarter's comments, oldest first."""
    stmt = (
        select(models.QuarterComment)
        .join(models.Institution, models.Institution.id == models.QuarterComment.institution_id)
        .where(models.Institution.key == institution, models.QuarterComment.period == period)
        .order_by(models.QuarterComment.at, models.QuarterComment.id)
    )
    return [
        Comment(institution, period, c.kind, c.text, c.author, c.at)
        for c in session.scalars(stmt)
    ]


def _entry_period(table: str, side: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """(institution, quarter) a row of the audit log is dated in, when it says so."""
    if not side:
        return None, None
    spec = TABLE_MAP.get(table)
    if spec is None or spec.dated_by is None:
        return None, None
    value = side.get(spec.dated_by)
    if value is None:
        return side.get("institution"), None
    if spec.column_map[spec.dated_by].type == "period":
        return side.get("institution"), str(value)
    try:
        return side.get("institution"), period_of(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return side.get("institution"), None


def changes_since(
    session: Session, *, institution: str, period: str, since: dt.datetime
) -> int:
    """How many values dated in the quarter were added or corrected after `since`, counted
    from the audit log (one entry per row written by the dashboard or a correction)."""
    stmt = select(
        models.AuditEntry.table_name, models.AuditEntry.before, models.AuditEntry.after
    ).where(
        models.AuditEntry.at > since,
        models.AuditEntry.action.in_(("add", "correct", "retract")),
        models.AuditEntry.table_name.in_(
            sorted(name for name, t in TABLE_MAP.items() if t.dated_by)
        ),
    )
    changed = 0
    for table, before, after in session.execute(stmt):
        for side in (after, before):
            owner, quarter = _entry_period(str(table), side if isinstance(side, dict) else None)
            if owner == institution and quarter == period:
                changed += 1
                break
    return changed


@dataclass(frozen=True)
class ReviewStatus:
    """Everything `tracker quarter status` and the pages show about a quarter's review."""

    state: QuarterState
    comments: list[Comment]
    changed_since_approval: int | None

    def to_json(self) -> dict[str, Any]:
        s = self.state
        return {
            "institution": s.institution, "period": s.period, "state": s.state,
            "locked": s.locked, "describe": s.describe(),
            "submitted_by": s.submitted_by, "submitted_at": _iso(s.submitted_at),
            "approved_by": s.approved_by, "approved_at": _iso(s.approved_at),
            "returned_by": s.returned_by, "returned_at": _iso(s.returned_at),
            "changed_since_approval": self.changed_since_approval,
            "comments": [
                {"kind": c.kind, "author": c.author, "at": _iso(c.at), "text": c.text}
                for c in self.comments
            ],
        }

    def lines(self) -> list[str]:
        """The state word first, then who did what, then the thread."""
        s = self.state
        lines = [f"{s.state} {s.institution} {s.period}: {s.describe()}"]
        if self.changed_since_approval is not None:
            lines.append(f"{self.changed_since_approval} value(s) changed since approval")
        for c in self.comments:
            lines.append(f"  {when_text(c.at)} {c.author} ({c.kind}): {c.text}")
        return lines


def _iso(moment: dt.datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def review_status(session: Session, *, institution: str, period: str) -> ReviewStatus:
    """The quarter's state, its comment thread and, once approved, how many values changed
    since the approval (from the audit log)."""
    period = check_period(period)
    state = quarter_state(session, institution=institution, period=period)
    changed = None
    if state.approved_at is not None:
        changed = changes_since(
            session, institution=institution, period=period, since=state.approved_at
        )
    return ReviewStatus(state, thread(session, institution=institution, period=period), changed)


@dataclass(frozen=True)
class QueueItem:
    """A quarter waiting for a reviewer."""

    institution: str
    name: str
    period: str
    submitted_by: str
    submitted_at: dt.datetime


def review_queue(
    session: Session, actor: Actor, *, institutions: Collection[str] | None = None
) -> list[QueueItem]:
    """The submitted quarters `actor` may review (in scope, not submitted by them), oldest
    submission first."""
    stmt = (
        select(models.Institution.key, models.Institution.name, models.QuarterSubmission)
        .join(models.Institution, models.Institution.id == models.QuarterSubmission.institution_id)
        .where(models.QuarterSubmission.state == SUBMITTED)
        .order_by(models.QuarterSubmission.submitted_at, models.Institution.key)
    )
    if not actor.is_admin:
        stmt = stmt.where(models.Institution.key.in_(sorted(actor.institutions)))
    if institutions is not None:
        stmt = stmt.where(models.Institution.key.in_(sorted(institutions)))
    items = []
    for key, name, row in session.execute(stmt):
        if row.submitted_by != actor.name:
            items.append(QueueItem(key, name, row.period, row.submitted_by, row.submitted_at))
    return items


def quarter_states(
    session: Session, *, institutions: Collection[str] | None = None
) -> dict[tuple[str, str], str]:
    """(institution, quarter) → state word, for every quarter with a submission row (others
    are open)."""
    stmt = select(
        models.Institution.key, models.QuarterSubmission.period, models.QuarterSubmission.state
    ).join(models.Institution, models.Institution.id == models.QuarterSubmission.institution_id)
    if institutions is not None:
        stmt = stmt.where(models.Institution.key.in_(sorted(institutions)))
    return {(k, p): s for k, p, s in session.execute(stmt)}


def review_rows(
    session: Session, *, institutions: Collection[str] | None = None
) -> pd.DataFrame:
    """The review state of every submitted quarter (of these institutions), as the read-only
    `quarter_review` file of an export: columns `READ_ONLY_TABLES["quarter_review"]`."""
    import pandas as pd

    stmt = (
        select(models.Institution.key, models.QuarterSubmission)
        .join(models.Institution, models.Institution.id == models.QuarterSubmission.institution_id)
        .order_by(models.Institution.key, models.QuarterSubmission.period)
    )
    if institutions is not None:
        stmt = stmt.where(models.Institution.key.in_(sorted(institutions)))
    rows = [
        {"institution": key, "period": row.period, "state": row.state,
         "submitted_by": row.submitted_by, "submitted_at": _iso(row.submitted_at),
         "approved_by": row.approved_by, "approved_at": _iso(row.approved_at),
         "returned_by": row.returned_by, "returned_at": _iso(row.returned_at),
         "return_reason": row.return_reason}
        for key, row in session.execute(stmt)
    ]
    return pd.DataFrame(rows, columns=list(READ_ONLY_TABLES["quarter_review"]))
