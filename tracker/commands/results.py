"""`tracker results refresh`: bring the stored analysis results up to date with the records.

Safe from cron, as a loop beside the dashboard (`--every`), and twice at once: each stale
result is recomputed by one refresher only (see `tracker.store.refresh`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, out, refusals

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tracker.analysis.params import Parameters

app = typer.Typer(help="The stored analysis results (the results store).", no_args_is_help=True)


@app.command("refresh")
@refusals
def refresh(
    stale: Annotated[
        bool,
        typer.Option(
            "--stale/--all",
            help="Recompute only stale or missing results (default), or every result.",
        ),
    ] = True,
    window_months: Annotated[
        int, typer.Option(help="The parameter set to refresh: window in months.", min=0)
    ] = 12,
    tolerance: Annotated[
        float, typer.Option(help="The parameter set to refresh: indicator tolerance.", min=0.0)
    ] = 0.1,
    parent_turnovers: Annotated[
        bool,
        typer.Option(
            "--parent-turnovers",
            help="The parameter set to refresh: count a turnover at an institution's parent "
            "(a trust's chief executive) as a turnover of each member too.",
        ),
    ] = False,
    every: Annotated[
        float | None,
        typer.Option(help="Repeat every this many seconds until interrupted (a loop)."),
    ] = None,
    funders: Annotated[
        bool,
        typer.Option(
            "--funders",
            help="Also refresh what funders read (approved quarters only, stored apart).",
        ),
    ] = False,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Recompute the stale results (all with --all), in batches, with progress on a terminal."""
    from tracker.access import Actor
    from tracker.analysis.params import Parameters
    from tracker.store.documents import SHARED
    from tracker.store.read import view_of

    engine = engine_for(db)
    actor = acting(engine, as_user)
    if not actor.is_admin:
        raise Refused(f"{actor.name} ({actor.role}) may not refresh results; administrators may.")
    if every is not None and every <= 0:
        raise Refused(f"--every must be a positive number of seconds, not {every}.")
    params = Parameters(
        window_months=window_months,
        indicator_tolerance=tolerance,
        parent_turnovers=parent_turnovers,
    )
    views = [SHARED] + ([view_of(Actor(name="funders", role="funder"))] if funders else [])
    while True:
        for view in views:
            _refresh_view(engine, params, view, everything=not stale)
        if every is None:
            return
        time.sleep(every)


def _refresh_view(engine: Engine, params: Parameters, view: str, *, everything: bool) -> None:
    """Refresh one view's stored results, with progress; then one line of what was done."""
    from tracker.progress import progress
    from tracker.store import refresh_results
    from tracker.store.documents import SHARED

    what = "results" if view == SHARED else "funders' results"
    started = time.perf_counter()
    with progress(f"Refreshing {what}") as steps:
        steps.step("finding stale results")
        report = refresh_results(
            engine,
            params,
            everything=everything,
            on_total=lambda total: steps.step("recomputing", total=total),
            on_progress=steps.advance,
            view=view,
        )
    seconds = time.perf_counter() - started
    lead = "Recomputed" if view == SHARED else "Funders' view (approved quarters): recomputed"
    out.print(
        f"{lead} {report.computed} result(s); {report.fresh} already fresh; "
        f"{report.by_others} finished by another refresher meanwhile ({seconds:.1f} s).",
        markup=False,
    )
