"""The `tracker` command line: thin commands over the write layer, queries, analysis and reports.

Exit status: 0 success; 1 refused (validation, conflict, lock, permission), with a message on
standard error saying what and where; 2 usage errors (Typer's own).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from tracker.access import Actor, PermissionRefused, local_operator
from tracker.db import get_engine
from tracker.migrate import SchemaOutOfDate, current_revision, ensure_current, head_revision, upgrade
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.apply import ConflictRefused

app = typer.Typer(
    help="tracker: does institutional change survive leadership turnover and partner withdrawal?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Create, migrate and inspect the database.", no_args_is_help=True)
sample_app = typer.Typer(help="Sample and synthetic workbooks.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(sample_app, name="sample")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy database URL (wins over TRACKER_DATABASE_URL)."),
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user, with their permissions and scope."),
]

F = TypeVar("F", bound=Callable[..., Any])


class Refused(Exception):
    """A request the command refuses; the message says what and where."""


def refusals(func: F) -> F:
    """Turn every refusal into a clear message on standard error and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WorkbookRefused as refused:
            err.print(refused.report(), markup=False)
            err.print("Nothing was written.", markup=False)
        except (PermissionRefused, ConflictRefused, SchemaOutOfDate, Refused) as refused:
            err.print(f"Refused: {refused}", markup=False)
        except OperationalError as error:
            err.print(f"The database could not be used: {error.orig}", markup=False)
        except SQLAlchemyError as error:
            err.print(f"The database refused the request: {error}", markup=False)
        raise typer.Exit(1)

    return wrapper  # type: ignore[return-value]


def engine_for(db: str | None, *, check_schema: bool = True) -> Engine:
    engine = get_engine(db)
    if check_schema:
        ensure_current(engine)
    return engine


def acting(engine: Engine, as_user: str | None) -> Actor:
    if as_user is None:
        return local_operator()
    from tracker.users import actor_for

    return actor_for(engine, as_user)


@db_app.command("upgrade")
@refusals
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or migrate it to the latest schema (data kept)."""
    engine = engine_for(db, check_schema=False)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        out.print(f"{where} is already at the latest schema ({after}).")
    else:
        out.print(f"{where}: schema {before or 'empty'} -> {after}.")


@db_app.command("current")
@refusals
def db_current(db: DbOption = None) -> None:
    """Print the schema revision of the database (and the latest this version knows)."""
    engine = engine_for(db, check_schema=False)
    current = current_revision(engine)
    head = head_revision()
    state = "latest" if current == head else f"behind: latest is {head}"
    out.print(f"{current or 'none'} ({state})")


@app.command("import")
@refusals
def import_command(
    path: Annotated[Path, typer.Argument(help="A folder of CSV files or one .xlsx workbook.")],
    dry_run: Annotated[bool, typer.Option(help="Check and report; write nothing.")] = False,
    correct: Annotated[
        bool, typer.Option(help="Allow rows that change stored values (old values kept).")
    ] = False,
    reason: Annotated[str | None, typer.Option(help="Why the values are corrected.")] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Import a workbook, all or nothing."""
    from tracker.writes.importer import import_workbook

    if reason and not correct:
        raise Refused("--reason goes with --correct.")
    engine = engine_for(db)
    report = import_workbook(
        engine, path, actor=acting(engine, as_user), dry_run=dry_run, correct=correct,
        reason=reason,
    )
    out.print(report.summary(), markup=False)


@app.command("export")
@refusals
def export_command(
    path: Annotated[Path, typer.Argument(help="A new folder (csv) or .xlsx file to write.")],
    format: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Write everything you may read, in the workbook format."""
    from tracker.exporting import export_workbook

    if format not in ("csv", "xlsx"):
        raise Refused(f"--format must be csv or xlsx, not {format!r}.")
    engine = engine_for(db)
    rows = export_workbook(engine, path, actor=acting(engine, as_user), format=format)
    out.print(f"Wrote {rows} rows to {path}.")


@sample_app.command("load")
@refusals
def sample_load(db: DbOption = None, as_user: AsOption = None) -> None:
    """Load the sample workbook (sample_data/): the article's four cases and fictional ones."""
    from tracker.config import sample_data_path
    from tracker.writes.importer import import_workbook

    engine = engine_for(db)
    report = import_workbook(engine, sample_data_path(), actor=acting(engine, as_user))
    out.print(report.summary(), markup=False)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
