"""`tracker analyse` and `tracker report`: the analysis of what you may read, as JSON, a table,
Markdown or HTML."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, err, out

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tracker.access import Actor
    from tracker.analysis.params import Parameters
    from tracker.dataset import Dataset


def _parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{option} must be a date written YYYY-MM-DD, not {text!r}.") from None


def _readable_dataset(
    db: str | None, as_user: str | None, *, say_quarters: bool = True
) -> Dataset:
    from tracker.db import read_session
    from tracker.scope import readable_dataset_and_quarters

    engine = engine_for(db)
    actor = acting(engine, as_user)
    with read_session(engine) as session:
        dataset, quarters = readable_dataset_and_quarters(session, actor)
    if quarters is not None and say_quarters:  # a funder: which quarters were used (#15)
        for line in quarters.lines():
            err.print(line, markup=False)
    return dataset


def _check_institution(dataset: Dataset, key: str | None) -> list[str] | None:
    if key is None:
        return None
    if key not in set(dataset["institutions"]["key"]):
        raise Refused(f"no institution {key!r} that you may read.")
    return [key]


def analyse_command(
    institution: Annotated[
        str | None, typer.Option(help="Analyse only this institution (its key).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Evaluate as of this date (YYYY-MM-DD); nothing after it is used."),
    ] = None,
    window_months: Annotated[
        int, typer.Option(help="Months after a turnover in which a reversal counts.", min=0)
    ] = 12,
    tolerance: Annotated[
        float,
        typer.Option(help="Indicator tolerance, as a share of |pre-turnover mean|.", min=0.0),
    ] = 0.1,
    parent_turnovers: Annotated[
        bool,
        typer.Option(
            "--parent-turnovers",
            help="Count a leadership turnover at an institution's parent (a trust's chief "
            "executive) as a turnover of each member too.",
        ),
    ] = False,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="json, or table: one line per institution (every test of one: --institution).",
        ),
    ] = "table",
    its: Annotated[
        bool, typer.Option(help="Also fit segmented regressions (slow at scale; not stored).")
    ] = False,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Analyse the records now, bypassing (and not changing) the stored results.",
        ),
    ] = False,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Persistence tests, indicator tests, diagnostics and phases (JSON: docs/analysis.md).

    Read from the results store, where only what changed since the last analysis is
    recomputed; --fresh and --its analyse the records now.
    """
    from tracker.analysis.params import Parameters

    if format not in ("json", "table"):
        raise Refused(f"--format must be json or table, not {format!r}.")
    params = Parameters(
        window_months=window_months,
        indicator_tolerance=tolerance,
        as_of=_parse_date(as_of, "--as-of"),
        parent_turnovers=parent_turnovers,
    )
    # A funder reads approved quarters only (#15): the shared results store holds analyses of
    # every recorded quarter, so a funder's analysis is made from what they may read.
    if fresh or its or (institution is not None and format == "table") or _is_funder(db, as_user):
        _analyse_fresh(params, institution, format=format, its=its, db=db, as_user=as_user)
        return
    from sqlalchemy.exc import OperationalError

    try:
        _analyse_stored(params, institution, format=format, db=db, as_user=as_user)
    except OperationalError as error:
        # A read-only database (a copy handed out, a read-only mount) cannot keep results:
        # it is analysed from its records, as --fresh does (#16).
        if "readonly" not in str(error.orig):
            raise
        _analyse_fresh(params, institution, format=format, its=its, db=db, as_user=as_user)


def _is_funder(db: str | None, as_user: str | None) -> bool:
    if as_user is None:
        return False
    return acting(engine_for(db), as_user).role == "funder"


def _write(chunks: Iterable[bytes]) -> None:
    """Bytes to standard output as they come (after any progress lines)."""
    sys.stdout.flush()
    stream = sys.stdout.buffer
    for chunk in chunks:
        stream.write(chunk)
    stream.flush()


def _analyse_stored(
    params: Parameters,
    institution: str | None,
    *,
    format: str,
    db: str | None,
    as_user: str | None,
) -> None:
    from tracker.db import read_session
    from tracker.progress import progress
    from tracker.reports.json_output import document_chunks
    from tracker.reports.summary_table import summary_table_lines
    from tracker.scope import readable_institutions
    from tracker.store import stored_results

    engine = engine_for(db)
    actor = acting(engine, as_user)
    if institution is not None:
        with read_session(engine) as session:
            readable = readable_institutions(session, actor)
        if readable is not None and institution not in readable:
            raise Refused(f"no institution {institution!r} that you may read.")
    with progress("Analysing") as steps:
        steps.step("bringing the stored results up to date with the records")
        results = stored_results(
            engine, actor, params, institutions=None if institution is None else [institution]
        )
    if institution is not None and institution not in results.keys:
        raise Refused(f"no institution {institution!r} that you may read.")
    if format == "json":
        _write(document_chunks(params, (document for _, document in results.documents())))
    else:
        lines = summary_table_lines(params, results.summaries())
        _write(line.encode() + b"\n" for line in lines)


def _analyse_fresh(
    params: Parameters,
    institution: str | None,
    *,
    format: str,
    its: bool,
    db: str | None,
    as_user: str | None,
) -> None:
    from tracker.analysis.run import analyse
    from tracker.analysis.table import render_table
    from tracker.progress import progress
    from tracker.reports.json_output import analysis_json_chunks
    from tracker.reports.summary_table import summary_table_lines
    from tracker.store.documents import institution_summary

    with progress("Analysing") as steps:
        steps.step("reading what you may read")
        # JSON output is a document on stdout alone: the note on quarters is for people.
        dataset = _readable_dataset(db, as_user, say_quarters=format != "json")
        wanted = _check_institution(dataset, institution)
        steps.step("testing every change against every turnover")
        result = analyse(dataset, params, institutions=wanted, include_its=its)
    # Written after the progress lines are done, so that the two never interleave.
    if format == "json":
        _write(analysis_json_chunks(result))
    elif institution is not None:
        print(render_table(result, width=max(out.width, 100)))
    else:
        rows = [institution_summary(item) for item in result.each_institution()]
        _write(line.encode() + b"\n" for line in summary_table_lines(params, rows))


def report_command(
    institution: Annotated[
        str | None, typer.Option(help="The contribution story of this institution.")
    ] = None,
    portfolio: Annotated[str | None, typer.Option(help="The summary of this portfolio.")] = None,
    format: Annotated[str, typer.Option("--format", help="md, html, docx or pdf.")] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write to this file (default: stdout; docx, pdf: required)."
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(help="A Word template (.docx) whose styles and letterhead docx uses."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace the --output file if it exists.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option(help="Evaluate as of this date (YYYY-MM-DD).")
    ] = None,
    pack: Annotated[str | None, typer.Option(
        "--pack", help="With --institution: summary (at most 6 pages: the answer, the matrix, "
        "the diagram, the indicators, what is missing, caveats) or full (every section). "
        "Default: summary for docx and pdf, full for md and html.")] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """A contribution story (--institution) or a portfolio summary (--portfolio; default: all)."""
    from tracker.analysis.params import Parameters
    from tracker.progress import progress
    from tracker.reports.registry import FORMATS, RENDERERS
    from tracker.reports.render import render_report

    if format not in FORMATS:
        raise Refused(f"--format must be one of {', '.join(FORMATS)}, not {format!r}.")
    if RENDERERS[format].binary and output is None:
        raise Refused(f"--format {format} writes a binary file: give it with -o FILE.")
    if template is not None and format != "docx":
        raise Refused("--template is for --format docx only.")
    if template is not None and not template.is_file():
        raise Refused(f"--template {template}: no such file.")
    if format == "docx" and template is None:
        from tracker.config import report_template

        configured = report_template()
        if configured is not None and not configured.is_file():
            raise Refused(f"TRACKER_REPORT_TEMPLATE={configured}: no such file.")
    if institution and portfolio:
        raise Refused("give --institution or --portfolio, not both.")
    if pack not in (None, "summary", "full"):
        raise Refused(f"--pack must be summary or full, not {pack!r}.")
    chosen_pack = pack or ("summary" if format in ("docx", "pdf") else "full")
    params = Parameters(as_of=_parse_date(as_of, "--as-of"))
    if institution is None:
        engine = engine_for(db)
        actor = acting(engine, as_user)
        # A funder is also told which quarters were used: read with their records, below.
        if actor.role != "funder":
            from sqlalchemy.exc import OperationalError

            try:
                content = _stored_portfolio_report(
                    engine, actor, params, portfolio, format, template
                )
            except OperationalError as error:
                # A read-only database cannot keep results: reported from its records (#16).
                if "readonly" not in str(error.orig):
                    raise
            else:
                _write_report(content, output, force=force)
                return
    with progress("Reporting") as steps:
        steps.step("reading what you may read")
        dataset = _readable_dataset(db, as_user)
        if institution is not None:
            _check_institution(dataset, institution)
        if portfolio is not None and portfolio not in set(dataset["portfolios"]["portfolio"]):
            raise Refused(f"no portfolio {portfolio!r} that you may read.")
        steps.step("analysing and writing the report")
        content = render_report(
            dataset,
            params,
            institution=institution,
            portfolio=portfolio,
            format=format,
            template=template,
            pack=chosen_pack,
        )
    _write_report(content, output, force=force)


def _stored_portfolio_report(
    engine: Engine, actor: Actor, params: Parameters, portfolio: str | None, format: str,
    template: Path | None,
) -> bytes | str:
    """The portfolio report from the results store: only what is stale is analysed again."""
    from tracker.progress import progress
    from tracker.reports.render import render_portfolio_report
    from tracker.store.portfolio import stored_portfolio

    with progress("Reporting") as steps:
        steps.step("summarising the stored results you may read")
        try:
            summary = stored_portfolio(engine, actor, params, portfolio)
        except KeyError:
            raise Refused(f"no portfolio {portfolio!r} that you may read.") from None
        steps.step("writing the report")
        return render_portfolio_report(summary, format, template=template)


def _write_report(content: bytes | str, output: Path | None, *, force: bool) -> None:
    if output is None:
        print(content)
        return
    from tracker.files import write_atomically
    from tracker.reports.registry import as_bytes

    write_atomically(output, as_bytes(content), force=force)
    out.print(f"Wrote {output}.", markup=False)
