"""What is due: the board of quarters that need someone's action, per person.

An item is one institution's quarter and why it needs action:
- ``overdue``: open (or never submitted) past its deadline — the quarter's end plus
  TRACKER_DUE_DAYS days — among the last TRACKER_DUE_LOOKBACK ended quarters;
- ``due``: open, ended, not yet past its deadline;
- ``returned``: a reviewer sent it back (whatever its age): the evaluator corrects it;
- ``awaiting_review``: submitted, waiting for a reviewer (whatever its age).

Whose action it is: the evaluators assigned to the institution (overdue, due, returned), the
reviewers assigned to it (awaiting review, except quarters they submitted themselves), and
administrators (everything). `board_items` is the whole board of some institutions;
`board_for` the part of it one person acts on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor
from tracker.config import setting_int
from tracker.periods import period_end, period_from_index, period_index, period_of

KINDS = ("overdue", "returned", "awaiting_review", "due")
KIND_LABELS = {
    "overdue": "overdue",
    "returned": "returned for corrections",
    "awaiting_review": "awaiting review",
    "due": "due",
}
# Which items are whose to act on, by role.
ROLE_KINDS = {
    "admin": frozenset(KINDS),
    "evaluator": frozenset({"overdue", "due", "returned"}),
    "reviewer": frozenset({"awaiting_review"}),
}


@dataclass(frozen=True)
class BoardItem:
    institution: str
    name: str
    period: str
    kind: str
    due_on: dt.date
    days_late: int = 0
    # Who submitted it (awaiting review) or returned it (returned), and the return comment.
    by: str | None = None
    note: str | None = None

    def describe(self) -> str:
        """E.g. ``overdue  northdale 2026Q3 — due 2026-10-30, 32 days late``."""
        what = f"{KIND_LABELS[self.kind]}  {self.institution} {self.period}"
        if self.kind == "overdue":
            return f"{what} — due {self.due_on.isoformat()}, {self.days_late} days late"
        if self.kind == "due":
            return f"{what} — due {self.due_on.isoformat()}"
        if self.kind == "returned":
            return f"{what} — returned by {self.by}: {self.note}"
        return f"{what} — submitted by {self.by}"


def deadline(period: str, due_days: int) -> dt.date:
    """The day by which a quarter should be submitted."""
    return period_end(period) + dt.timedelta(days=due_days)


def ended_quarters(today: dt.date, lookback: int) -> list[str]:
    """The last `lookback` quarters that have ended by `today`, oldest first."""
    last = period_index(period_of(today)) - 1
    return [period_from_index(i) for i in range(last - lookback + 1, last + 1)]


# Institution keys bound in one IN (...) list at most.
_IN_LIST = 500


def board_items(
    session: Session,
    *,
    institutions: Collection[str] | None = None,
    today: dt.date | None = None,
    due_days: int | None = None,
    lookback: int | None = None,
) -> list[BoardItem]:
    """The whole board for these institutions (None: all), most urgent kinds first."""
    today = today or dt.date.today()
    due_days = setting_int("TRACKER_DUE_DAYS") if due_days is None else due_days
    lookback = setting_int("TRACKER_DUE_LOOKBACK") if lookback is None else lookback
    names_stmt = select(models.Institution.key, models.Institution.name)
    rows_stmt = select(models.Institution.key, models.QuarterSubmission).join(
        models.Institution, models.Institution.id == models.QuarterSubmission.institution_id
    )
    wanted = None if institutions is None else set(institutions)
    if wanted is not None and len(wanted) <= _IN_LIST:
        names_stmt = names_stmt.where(models.Institution.key.in_(sorted(wanted)))
        rows_stmt = rows_stmt.where(models.Institution.key.in_(sorted(wanted)))
    # A longer list (a national portfolio) costs more bound in IN (...) than reading the whole
    # board, and SQLite caps its parameters: it is read whole and kept to the wanted ones.
    names = {
        key: name for key, name in session.execute(names_stmt)
        if wanted is None or key in wanted
    }
    rows = {
        (key, row.period): row for key, row in session.execute(rows_stmt)
        if wanted is None or key in wanted
    }
    items: list[BoardItem] = []
    for (key, period), row in rows.items():
        if row.state == "returned":
            items.append(BoardItem(key, names[key], period, "returned",
                                   deadline(period, due_days), by=row.returned_by,
                                   note=row.return_reason))
        elif row.state == "submitted":
            items.append(BoardItem(key, names[key], period, "awaiting_review",
                                   deadline(period, due_days), by=row.submitted_by))
    for period in ended_quarters(today, lookback):
        due_on = deadline(period, due_days)
        for key in names:
            found = rows.get((key, period))
            if found is not None and found.state != "open":
                continue
            late = (today - due_on).days
            kind = "overdue" if late > 0 else "due"
            items.append(BoardItem(key, names[key], period, kind, due_on, max(late, 0)))
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(items, key=lambda i: (order[i.kind], i.due_on, i.institution))


def board_for(
    session: Session,
    actor: Actor,
    *,
    today: dt.date | None = None,
    overdue_only: bool = False,
    due_days: int | None = None,
    lookback: int | None = None,
) -> list[BoardItem]:
    """The items `actor` acts on: an evaluator's institutions' open, overdue and returned
    quarters; a reviewer's quarters awaiting review (not their own submissions); everything
    for an administrator. `overdue_only` leaves out quarters merely due (not yet late)."""
    kinds = ROLE_KINDS.get(actor.role, frozenset())
    if not kinds:
        return []
    scope = None if actor.is_admin else actor.institutions
    items = board_items(session, institutions=scope, today=today, due_days=due_days,
                        lookback=lookback)
    return [
        item for item in items
        if item.kind in kinds
        and not (overdue_only and item.kind == "due")
        and not (actor.role == "reviewer" and item.by == actor.name)
    ]


def evaluators_of(session: Session) -> dict[str, list[str]]:
    """institution key → the enabled evaluators assigned to it (for the administrators' board)."""
    stmt = (
        select(models.Institution.key, models.User.name)
        .join(models.UserInstitution,
              models.UserInstitution.institution_id == models.Institution.id)
        .join(models.User, models.User.id == models.UserInstitution.user_id)
        .where(models.User.role == "evaluator", models.User.disabled.is_(False))
        .order_by(models.User.name)
    )
    found: dict[str, list[str]] = {}
    for key, name in session.execute(stmt):
        found.setdefault(key, []).append(name)
    return found


def staleness(items: Collection[BoardItem]) -> dict[str, str]:
    """institution → its worst state on the board, as a badge word for the portfolio:
    ``overdue``, ``returned``, ``awaiting review`` or ``due`` (institutions not on the board
    are up to date)."""
    badges: dict[str, str] = {}
    order = {kind: i for i, kind in enumerate(KINDS)}
    for item in sorted(items, key=lambda i: order[i.kind]):
        badges.setdefault(item.institution, KIND_LABELS[item.kind])
    return badges
