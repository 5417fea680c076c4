"""`tracker import`, `tracker export` and `tracker sample`: workbooks in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, out, refusals

sample_app = typer.Typer(help="Sample and synthetic workbooks.", no_args_is_help=True)


def import_command(
    path: Annotated[Path, typer.Argument(
        help="A folder of CSV files or one .xlsx workbook; with --from, a tool's export.")],
    from_: Annotated[str | None, typer.Option(
        "--from", help="Read a tool's export: kobo, odk, dhis2, adx or 360giving (tracker "
        "sources).")] = None,
    mapping: Annotated[Path | None, typer.Option(
        help="With --from: the TOML mapping from the export to the workbook's tables.")] = None,
    dry_run: Annotated[bool, typer.Option(help="Check and report; write nothing.")] = False,
    correct: Annotated[
        bool, typer.Option(help="Allow rows that change stored values (old values kept).")
    ] = False,
    reason: Annotated[
        str | None, typer.Option(help="Why the values are corrected, retracted or restored.")
    ] = None,
    retract: Annotated[
        bool,
        typer.Option(help="Retract the stored rows the workbook names (kept, with history)."),
    ] = False,
    restore: Annotated[
        bool, typer.Option(help="Restore retracted rows the workbook names.")
    ] = False,
    approve_history_through: Annotated[str | None, typer.Option(
        "--approve-history-through", help="After the import, approve as history every open "
        "quarter with values up to this one (YYYYQn) of the workbook's institutions "
        "(administrators; audited as historical approval).")] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Import a workbook, all or nothing (or retract or restore the rows it names); with
    --from and --mapping, a tool's export (tracker sources)."""
    from tracker.progress import progress
    from tracker.writes.imports.importer import import_workbook

    if from_ is not None:
        from tracker.commands.sources import import_from

        if correct or retract or restore:
            raise Refused("--from imports as the mapping says: corrections come from the "
                          "source's own edits (no --correct, --retract or --restore).")
        import_from(path, source=from_, mapping=mapping, dry_run=dry_run, db=db, as_user=as_user)
        return
    if mapping is not None:
        raise Refused("--mapping goes with --from SOURCE.")
    if sum((correct, retract, restore)) > 1:
        raise Refused("give one of --correct, --retract and --restore.")
    if reason and not (correct or retract or restore):
        raise Refused("--reason goes with --correct, --retract or --restore.")
    engine = engine_for(db)
    if retract or restore:
        from tracker.writes.history.retraction import retract_workbook

        retraction = retract_workbook(
            engine, path, actor=acting(engine, as_user), reason=reason, restore=restore,
            dry_run=dry_run,
        )
        out.print(retraction.summary(), markup=False)
        return
    if approve_history_through is not None:
        from tracker.writes.quarter.history_approval import check_through
        from tracker.writes.quarter.state import QuarterRefused

        try:
            check_through(approve_history_through, actor=acting(engine, as_user))
        except QuarterRefused as refused:
            raise Refused(f"--approve-history-through: {refused}") from refused
    # A national workbook takes a minute or more: a spinner with the time, on a terminal only.
    with progress("Importing") as steps:
        steps.step(str(path))
        report = import_workbook(
            engine,
            path,
            actor=acting(engine, as_user),
            dry_run=dry_run,
            correct=correct,
            reason=reason,
        )
    out.print(report.summary(), markup=False)
    if approve_history_through is not None and not dry_run:
        from tracker.writes.quarter.history_approval import approve_history, workbook_institutions

        for key in workbook_institutions(path):
            done = approve_history(engine, institution=key, through=approve_history_through,
                                   actor=acting(engine, as_user))
            out.print(done.describe(), markup=False)


def export_command(
    path: Annotated[Path, typer.Argument(help="A new folder (csv) or .xlsx file to write.")],
    format: Annotated[str, typer.Option(
        "--format", help="csv or xlsx; dhis2-json or adx (approved quarters, with --mapping)."
    )] = "csv",
    mapping: Annotated[Path | None, typer.Option(
        help="With dhis2-json or adx: the mapping whose crosswalk and data elements name the "
        "values.")] = None,
    force: Annotated[
        bool, typer.Option(help="Replace an existing .xlsx file, or the CSV files in a folder.")
    ] = False,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Write everything you may read, in the workbook format."""
    from tracker.exporting import export_workbook
    from tracker.files import check_target
    from tracker.workbook.write import TooLongForSpreadsheet

    if format in ("dhis2-json", "adx"):
        from tracker.commands.sources import export_to

        export_to(path, format=format, mapping=mapping, force=force, db=db, as_user=as_user)
        return
    if mapping is not None:
        raise Refused("--mapping goes with --format dhis2-json or adx.")
    if format not in ("csv", "xlsx"):
        raise Refused(f"--format must be csv, xlsx, dhis2-json or adx, not {format!r}.")
    if format == "xlsx" and path.suffix.lower() != ".xlsx":
        raise Refused(f"{path}: an .xlsx workbook's name ends in .xlsx (e.g. {path.stem}.xlsx).")
    if format == "xlsx" or not path.is_dir() or path.is_symlink():
        check_target(path, force=force)
    elif any(path.iterdir()) and not force:
        raise Refused(
            f"{path} is a folder that is not empty: choose a new folder, or add "
            "--force to replace its workbook files."
        )
    engine = engine_for(db)
    try:
        rows = export_workbook(
            engine, path, actor=acting(engine, as_user), format=format, overwrite=force
        )
    except TooLongForSpreadsheet as error:
        raise Refused(f"{error}. Nothing was written.") from None
    out.print(f"Wrote {rows} rows to {path}.", markup=False)


@sample_app.command("load")
@refusals
def sample_load(
    if_empty: Annotated[
        bool, typer.Option(help="Load only into a database that has no institutions yet.")
    ] = False,
    only_embedded: Annotated[bool, typer.Option(
        "--only-embedded", help="Load only into the embedded default file (var/tracker.db): "
        "never into a configured database (--db, TRACKER_DATABASE_URL), whose team starts "
        "from the first-steps page.")] = False,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Load the sample workbook (sample_data/): the article's four cases and fictional ones."""
    from tracker.db import read_session
    from tracker.queries import existing_keys
    from tracker.writes.quarter.history_approval import load_sample

    if only_embedded:
        from tracker.config import database_url, default_sqlite_path

        if database_url(db) != f"sqlite:///{default_sqlite_path()}":
            out.print("The database is a configured one (--db or TRACKER_DATABASE_URL), not the "
                      "embedded default file: the sample was not loaded. The dashboard's "
                      "first-steps page offers it.", markup=False)
            return
    engine = engine_for(db)
    if if_empty:
        with read_session(engine) as session:
            if existing_keys(session)["institutions"]:
                out.print("The database already has institutions; the sample was not loaded.")
                return
    report, approvals = load_sample(engine, actor=acting(engine, as_user))
    out.print(report.summary(), markup=False)  # type: ignore[attr-defined]
    approved = sum(len(a.approved) for a in approvals)
    out.print(f"The sample's history is approved: {approved} quarter(s) of "
              f"{len(approvals)} institution(s), recorded as historical approval.", markup=False)


@sample_app.command("generate")
@refusals
def sample_generate(
    path: Annotated[Path, typer.Argument(help="A new (or empty) folder for the CSV workbook.")],
    institutions: Annotated[int, typer.Option(min=1, help="How many institutions.")],
    years: Annotated[
        int, typer.Option(min=1, max=60, help="How many calendar years of quarters (to 2025).")
    ],
    seed: Annotated[int, typer.Option(help="The same seed always gives the same workbook.")] = 2025,
) -> None:
    """Write a realistic synthetic workbook of that size (deterministic for a seed)."""
    from tracker.generate import write_sample
    from tracker.progress import progress

    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise Refused(f"{path} exists and is not an empty folder: choose a new folder.")
    with progress("Generating") as steps:
        dataset = write_sample(
            path, institutions=institutions, years=years, seed=seed, step=steps.step
        )
    out.print(f"Wrote {dataset.row_count():,} rows to {path}.", markup=False)
