"""`tracker db`: create, migrate and inspect the database."""

from __future__ import annotations

import typer

from tracker.commands.common import DbOption, Refused, engine_for, out, refusals

app = typer.Typer(help="Create, migrate and inspect the database.", no_args_is_help=True)


@app.command("upgrade")
@refusals
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or migrate it to the latest schema (data kept)."""
    from tracker.migrate import current_revision, upgrade

    engine = engine_for(db, check_schema=False)
    before = current_revision(engine)
    try:
        upgrade(engine)
    except RuntimeError as error:
        # A migration that cannot apply to the stored data says why (e.g. 0009: dates outside
        # the domain); the transaction is rolled back, nothing changed.
        raise Refused(f"{error} Nothing was changed.") from None
    after = current_revision(engine)
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        out.print(f"{where} is already at the latest schema ({after}).", markup=False)
    else:
        out.print(f"{where}: schema {before or 'empty'} -> {after}.", markup=False)


@app.command("current")
@refusals
def db_current(db: DbOption = None) -> None:
    """Print the schema revision of the database (and whether it is the latest)."""
    from tracker.migrate import (
        current_revision,
        head_revision,
        known_revisions,
        newer_schema_advice,
    )

    engine = engine_for(db, check_schema=False)
    current = current_revision(engine)
    head = head_revision()
    if current is not None and current not in known_revisions():
        state = f"newer than this tracker's {head}: {newer_schema_advice(engine, current)}"
    else:
        state = "latest" if current == head else f"behind: latest is {head}"
    out.print(f"{current or 'none'} ({state})", markup=False)
