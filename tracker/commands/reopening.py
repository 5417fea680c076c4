"""`tracker quarter requests`: the requests to reopen a locked quarter (made on the "Log a
quarter" page), and an administrator's answer to one (`--grant ID`, `--decline ID --note`)."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, out, refusals


@refusals
def requests_command(
    grant: Annotated[
        int | None, typer.Option("--grant", help="Grant this request: reopen its quarter.")
    ] = None,
    decline: Annotated[
        int | None, typer.Option("--decline", help="Decline this request (needs --note).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Your note on the decision.")] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """List the pending requests to reopen a quarter, or grant or decline one (administrators)."""
    from tracker.db import read_session
    from tracker.scope import readable_institutions
    from tracker.writes.quarter.reopening import decide_request, pending_requests
    from tracker.writes.quarter.state import QuarterRefused

    engine = engine_for(db)
    actor = acting(engine, as_user)
    if grant is not None and decline is not None:
        raise Refused("Give --grant or --decline, not both.")
    chosen = grant if grant is not None else decline
    if chosen is not None:
        try:
            done = decide_request(
                engine, request_id=chosen, actor=actor, grant=grant is not None, note=note
            )
        except QuarterRefused as refused:
            raise Refused(str(refused)) from refused
        out.print(
            f"Request {done.id} {done.status}: {done.institution} {done.period}.", markup=False
        )
        return
    with read_session(engine) as session:
        waiting = pending_requests(session, institutions=readable_institutions(session, actor))
    if not waiting:
        out.print("No request to reopen a quarter is waiting.", markup=False)
        return
    out.print(f"Requests to reopen a quarter ({len(waiting)}):", markup=False)
    for request in waiting:
        out.print(
            f"  {request.id:>4}  {request.institution} {request.period} — asked by "
            f"{request.requested_by} at {request.requested_at:%Y-%m-%d %H:%M}: {request.reason}",
            markup=False,
        )
    out.print("Grant one with --grant ID, or decline it with --decline ID --note TEXT.")
