"""`tracker qca`: Qualitative Comparative Analysis of a case table (CSV) or of a portfolio's
institutions, as a table or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, out

if TYPE_CHECKING:
    import pandas as pd

    from tracker.analysis.portfolio import PortfolioSummary
    from tracker.analysis.qca.configurations import QcaResult


def parse_incl_cut(text: str) -> tuple[float, float]:
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise Refused(f"--incl-cut {text!r}: write one number (0.8) or two (0.8,0.6)") from None
    if len(values) not in (1, 2) or not all(0 <= v <= 1 for v in values):
        raise Refused(f"--incl-cut {text!r}: one or two numbers between 0 and 1")
    one = values[0]
    zero = values[1] if len(values) == 2 else one
    if zero > one:
        raise Refused(f"--incl-cut {text!r}: the second cut-off (for OUT 0) exceeds the first")
    return one, zero


def parse_dir_exp(text: str | None) -> dict[str, int]:
    """``A=1,B=0,C=-``: presence (1) or absence (0) expected to go with the outcome; ``-`` none."""
    if not text:
        return {}
    expectations: dict[str, int] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or value not in ("0", "1", "-"):
            raise Refused(f"--dir-exp {text!r}: write CONDITION=1, CONDITION=0 or CONDITION=-")
        if value != "-":
            expectations[name] = int(value)
    return expectations


def _conditions(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise Refused("--conditions: name at least one condition (A,B,C)")
    return names


def read_cells(path: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise Refused(f"{path}: not a readable CSV file ({error})") from None
    except pd.errors.EmptyDataError:
        raise Refused(f"{path}: the file is empty") from None


def qca_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="A CSV case table: the first column names the cases."),
    ] = None,
    outcome: Annotated[
        str, typer.Option(help="The outcome column (~NAME for its absence).")
    ] = "",
    conditions: Annotated[str, typer.Option(help="Conditions, comma-separated: A,B,C.")] = "",
    calibrate: Annotated[
        list[str] | None,
        typer.Option(
            help="Calibrate a column: 'A>=550' (crisp; also >, <, <=) or 'B=2,7,9.5' "
            "(fuzzy: exclusion, crossover, inclusion). Repeat for several."
        ),
    ] = None,
    incl_cut: Annotated[
        str,
        typer.Option(help="Consistency for OUT 1; a second value below which OUT is 0 (else C)."),
    ] = "1",
    n_cut: Annotated[
        int, typer.Option(min=1, help="Fewest cases for a row to count as observed.")
    ] = 1,
    solution: Annotated[
        str, typer.Option(help="conservative, parsimonious or intermediate.")
    ] = "conservative",
    dir_exp: Annotated[
        str | None,
        typer.Option(help="Directional expectations for the intermediate solution: A=1,B=0."),
    ] = None,
    necessity: Annotated[
        bool, typer.Option("--necessity", help="Add the necessity of each condition.")
    ] = False,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    portfolio: Annotated[
        str | None,
        typer.Option(
            help="Analyse this portfolio's institutions (conditions and outcomes from the "
            "registry in docs/analysis.md) instead of a file."
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="With --portfolio: evaluate as of YYYY-MM-DD.")
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Which configurations of conditions go with an outcome (crisp- and fuzzy-set QCA)."""
    from tracker.analysis.qca.calibration import CalibrationError, parse_rule
    from tracker.analysis.qca.case_table import CaseTableError, memberships_from_cells
    from tracker.analysis.qca.configurations import analyse_configurations, check_conditions
    from tracker.analysis.qca.solutions import QcaError

    if format not in ("table", "json"):
        raise Refused(f"--format must be table or json, not {format!r}.")
    if not outcome:
        raise Refused("--outcome: name the outcome column.")
    names = _conditions(conditions)
    cuts = parse_incl_cut(incl_cut)
    expectations = parse_dir_exp(dir_exp)
    try:
        check_conditions(names)
        rules = [parse_rule(text) for text in calibrate or []]
        if (file is None) == (portfolio is None):
            raise Refused("give a CSV case table (FILE) or --portfolio KEY, one of them.")
        left_out: list[str] = []
        if file is not None:
            memberships = memberships_from_cells(
                read_cells(file), source=str(file), outcome=outcome, conditions=names, rules=rules
            )
            source: dict[str, object] = {"file": str(file)}
        else:
            from tracker.analysis.qca.portfolio_sets import (
                PortfolioSetError,
                check_sets,
                portfolio_memberships,
            )

            if rules:
                raise Refused("--calibrate is for a file: the portfolio's sets are calibrated.")
            try:
                check_sets(outcome, names)
                summary = portfolio_summary_for(portfolio, as_of=as_of, db=db, as_user=as_user)
                memberships, left_out = portfolio_memberships(
                    summary, outcome=outcome, conditions=names
                )
            except PortfolioSetError as error:
                raise Refused(str(error)) from None
            source = {"portfolio": portfolio, "as_of": as_of}
        result = analyse_configurations(
            memberships,
            outcome=outcome,
            conditions=names,
            incl_cut=cuts,
            n_cut=n_cut,
            solution=solution,
            expectations=expectations,
            with_necessity=necessity,
        )
    except (CalibrationError, CaseTableError, QcaError) as error:
        raise Refused(str(error)) from None
    result.parameters.update(source)
    result.parameters["calibrate"] = [rule.describe() for rule in rules]
    _print(result, format, left_out)


def _print(result: QcaResult, format: str, left_out: list[str]) -> None:
    from tracker.analysis.qca.document import result_document, result_lines

    if format == "json":
        document = result_document(result)
        if "portfolio" in result.parameters:
            document["left_out"] = left_out
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    for line in result_lines(result):
        out.print(line, markup=False)
    if left_out:
        out.print(
            f"Left out ({len(left_out)}, the outcome is undefined for them): "
            + ", ".join(left_out),
            markup=False,
        )


def portfolio_summary_for(
    portfolio: str | None, *, as_of: str | None, db: str | None, as_user: str | None
) -> PortfolioSummary:
    """The portfolio summary the acting user may read: from the results store, or (a funder,
    who reads approved quarters only) analysed from their records, as `tracker report` does."""
    from tracker.analysis.params import Parameters
    from tracker.commands.analysis import _parse_date, _readable_dataset

    params = Parameters(as_of=_parse_date(as_of, "--as-of"))
    engine = engine_for(db)
    actor = acting(engine, as_user)
    if actor.role != "funder":
        from sqlalchemy.exc import OperationalError

        from tracker.store.portfolio import stored_portfolio

        try:
            return stored_portfolio(engine, actor, params, portfolio)
        except KeyError:
            raise Refused(f"no portfolio {portfolio!r} that you may read.") from None
        except OperationalError as error:
            # A read-only database cannot keep results: analysed from its records (#16).
            if "readonly" not in str(error.orig):
                raise
    from tracker.analysis.portfolio import portfolio_summary
    from tracker.analysis.run import analyse

    dataset = _readable_dataset(db, as_user)
    if portfolio is not None and portfolio not in set(dataset["portfolios"]["portfolio"]):
        raise Refused(f"no portfolio {portfolio!r} that you may read.")
    return portfolio_summary(dataset, analyse(dataset, params), portfolio=portfolio)
