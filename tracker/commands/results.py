"""`tracker results refresh`: bring the stored analysis results up to date with the records.

Safe from cron, as a loop beside the dashboard (`--every`), and twice at once: each stale
result is recomputed by one refresher only (see `tracker.store.refresh`).
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, out, refusals

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
    every: Annotated[
        float | None,
        typer.Option(help="Repeat every this many seconds until interrupted (a loop)."),
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Recompute the stale results (all with --all), in batches, with progress on a terminal."""
    from tracker.analysis.params import Parameters
    from tracker.progress import progress
    from tracker.store import refresh_results

    engine = engine_for(db)
    actor = acting(engine, as_user)
    if not actor.is_admin:
        raise Refused(f"{actor.name} ({actor.role}) may not refresh results; administrators may.")
    if every is not None and every <= 0:
        raise Refused(f"--every must be a positive number of seconds, not {every}.")
    params = Parameters(window_months=window_months, indicator_tolerance=tolerance)
    while True:
        started = time.perf_counter()
        with progress("Refreshing results") as steps:
            steps.step("finding stale results")
            report = refresh_results(
                engine,
                params,
                everything=not stale,
                on_total=lambda total: steps.step("recomputing", total=total),
                on_progress=steps.advance,
            )
        seconds = time.perf_counter() - started
        out.print(
            f"Recomputed {report.computed} result(s); {report.fresh} already fresh; "
            f"{report.by_others} finished by another refresher meanwhile ({seconds:.1f} s).",
            markup=False,
        )
        if every is None:
            return
        time.sleep(every)
