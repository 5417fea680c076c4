"""`tracker quarter submit|approve|return|reopen|comment|status|due`, `tracker history` and
`tracker audit`: the evaluator's quarter and its review, the versions of every value, and the
audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from tracker.commands.common import (
    AsOption,
    DbOption,
    Refused,
    acting,
    engine_for,
    err,
    out,
    refusals,
)

app = typer.Typer(
    help="Submit, review, reopen and follow institutions' quarters.", no_args_is_help=True
)

InstitutionOption = Annotated[str, typer.Option("--institution", help="The institution's key.")]
PeriodOption = Annotated[str, typer.Option("--period", help="The quarter, written YYYYQn.")]

F = TypeVar("F", bound=Callable[..., Any])


def _quarter_refusals(func: F) -> F:
    """Quarter refusals (already submitted, no reason, not submitted…) exit 1 like any other."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # Imported when the command runs, not when `tracker --help` starts.
        from tracker.writes.quarter.state import QuarterRefused

        try:
            return func(*args, **kwargs)
        except QuarterRefused as refused:
            raise Refused(str(refused)) from refused

    return refusals(wrapper)  # type: ignore[return-value]


@app.command("submit")
@_quarter_refusals
def submit(
    institution: InstitutionOption, period: PeriodOption, db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Submit an institution's quarter: nothing dated in it can be written until it is reopened."""
    from tracker.writes.quarter import review

    engine = engine_for(db)
    state = review.submit(
        engine, institution=institution, period=period, actor=acting(engine, as_user)
    )
    out.print(f"{institution} {state.period}: {state.describe()}.", markup=False)


@app.command("reopen")
@_quarter_refusals
def reopen(
    institution: InstitutionOption,
    period: PeriodOption,
    reason: Annotated[
        str | None, typer.Option(help="Why the submitted quarter is reopened (required).")
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Reopen a submitted quarter (administrators, with a reason; audited)."""
    from tracker.writes.quarter import review

    engine = engine_for(db)
    state = review.reopen(
        engine, institution=institution, period=period, actor=acting(engine, as_user),
        reason=reason,
    )
    out.print(f"{institution} {state.period}: {state.describe()}.", markup=False)


@app.command("approve")
@_quarter_refusals
def approve(
    institution: InstitutionOption,
    period: Annotated[str | None, typer.Option(
        "--period", help="The submitted quarter to approve, written YYYYQn.")] = None,
    through: Annotated[str | None, typer.Option(
        "--through", help="Approve imported history instead: every open quarter with values up "
        "to this one (YYYYQn, ended), recorded as historical approval (administrators).",
    )] = None,
    reason: Annotated[str | None, typer.Option(
        help="With --through: why the history is approved (kept in the audit log).")] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Approve a submitted quarter (a reviewer who did not submit it; it stays locked), or with
    --through the institution's imported history in bulk (audited as historical approval)."""
    engine = engine_for(db)
    actor = acting(engine, as_user)
    if (period is None) == (through is None):
        raise Refused("Give either --period (one submitted quarter) or --through (history).")
    if through is not None:
        from tracker.writes.quarter.history_approval import approve_history

        done = approve_history(
            engine, institution=institution, through=through, actor=actor, reason=reason
        )
        out.print(done.describe(), markup=False)
        return
    from tracker.writes.quarter import review

    assert period is not None
    state = review.approve(engine, institution=institution, period=period, actor=actor)
    out.print(f"{institution} {state.period}: {state.describe()}.", markup=False)


@app.command("return")
@_quarter_refusals
def return_quarter(
    institution: InstitutionOption,
    period: PeriodOption,
    reason: Annotated[
        str | None,
        typer.Option(help="What to correct (required; shown to the evaluator in the thread)."),
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Return a submitted quarter to the evaluator for corrections, with a comment."""
    from tracker.writes.quarter import review

    engine = engine_for(db)
    state = review.return_(
        engine, institution=institution, period=period, actor=acting(engine, as_user),
        comment=reason,
    )
    out.print(f"{institution} {state.period}: {state.describe()}.", markup=False)


@app.command("comment")
@_quarter_refusals
def comment(
    institution: InstitutionOption,
    period: PeriodOption,
    text: Annotated[str | None, typer.Option(help="The comment (required).")] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Add a comment to a quarter's thread (evaluators, reviewers, administrators)."""
    from tracker.writes.quarter import review

    engine = engine_for(db)
    review.comment(
        engine, institution=institution, period=period, actor=acting(engine, as_user), text=text
    )
    out.print(f"Comment added to {institution} {period}.", markup=False)


@app.command("status")
@_quarter_refusals
def status(
    institution: InstitutionOption,
    period: PeriodOption,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """The quarter's review state (the first word), its thread, and values changed since
    approval."""
    from tracker.db import read_session
    from tracker.scope import readable_quarters, require_institution
    from tracker.writes.quarter.review import review_status

    if format not in ("text", "json"):
        raise Refused(f"--format must be text or json, not {format!r}.")
    engine = engine_for(db)
    actor = acting(engine, as_user)
    with read_session(engine) as session:
        require_institution(session, actor, institution)
        found = review_status(session, institution=institution, period=period)
        quarters = readable_quarters(session, actor)
    if quarters is not None and (institution, found.state.period) not in quarters:
        # A funder reads a quarter's review thread only once the quarter is approved.
        found = dataclasses.replace(found, comments=[])
    if format == "json":
        typer.echo(json.dumps(found.to_json(), indent=2))
        return
    for line in found.lines():
        out.print(line, markup=False)


@app.command("due")
@_quarter_refusals
def due(
    period: Annotated[
        str | None, typer.Option("--period", help="The quarter (default: today's).")
    ] = None,
    overdue: Annotated[
        bool,
        typer.Option(
            "--overdue",
            help="The due board instead: overdue, returned and awaiting-review quarters that "
            "are yours to act on (administrators: all, with the evaluators of each).",
        ),
    ] = False,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """List the institutions whose quarter is not submitted yet, or (--overdue) the due board."""
    from tracker.db import read_session
    from tracker.scope import readable_institutions
    from tracker.writes.quarter.state import current_period, quarters_due

    engine = engine_for(db)
    actor = acting(engine, as_user)
    if overdue:
        if period is not None:
            raise Refused("--overdue shows every quarter on the board; leave out --period.")
        _board(engine, actor)
        return
    wanted = period or current_period()
    with read_session(engine) as session:
        due_now = quarters_due(
            session, period=wanted, institutions=readable_institutions(session, actor)
        )
    if not due_now:
        out.print(f"Every institution has submitted {wanted}.", markup=False)
        return
    out.print(f"Not submitted for {wanted} ({len(due_now)}):", markup=False)
    for item in due_now:
        out.print(f"  {item.institution:<30} {item.name} — {item.state.describe()}", markup=False)


def _board(engine: Any, actor: Any) -> None:
    from tracker.config import setting_int
    from tracker.db import read_session
    from tracker.writes.quarter.due_board import board_for, evaluators_of

    try:
        days = setting_int("TRACKER_DUE_DAYS")
    except ValueError as error:
        raise Refused(str(error)) from error
    with read_session(engine) as session:
        items = board_for(session, actor, overdue_only=True)
        evaluators = evaluators_of(session) if actor.is_admin else {}
    if not items:
        out.print("Nothing overdue, returned or awaiting review.", markup=False)
        return
    out.print(f"Due board ({len(items)}; deadline {days} days after a quarter ends):",
              markup=False)
    for item in items:
        who = ""
        if actor.is_admin and item.kind in ("overdue", "returned"):
            who = f" [{', '.join(evaluators.get(item.institution, [])) or 'no evaluator'}]"
        out.print(f"  {item.describe()}{who}", markup=False)


def remind_command(
    day: Annotated[
        str | None, typer.Option("--day", help="Send as of this day (YYYY-MM-DD; default today).")
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Send each person one digest of their overdue, returned and awaiting-review quarters
    (at most one a day: safe to run from cron)."""
    from tracker.writes.quarter.reminders import remind

    engine = engine_for(db)
    actor = acting(engine, as_user)
    try:
        when = dt.date.fromisoformat(day) if day else None
    except ValueError as error:
        raise Refused(f"--day must be a date written YYYY-MM-DD, not {day!r}.") from error
    try:
        result = remind(engine, actor=actor, today=when, write=lambda text: typer.echo(text))
    except ValueError as error:  # a malformed setting (e.g. TRACKER_SMTP_PORT)
        raise Refused(str(error)) from error
    for line in result.lines():
        err.print(line, markup=False)
    if result.failed:
        raise typer.Exit(1)
