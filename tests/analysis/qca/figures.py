"""Results written the way R's QCA prints them (three decimals), for comparison with its output."""

from __future__ import annotations

from tracker.analysis.qca.configurations import ModelResult, QcaResult


def three(value: float) -> str:
    return f"{value:.3f}"


def term_rows(model: ModelResult) -> list[tuple[str, str, str, str, str]]:
    """(term, inclS, PRI, covS, covU) per term, as R's table of parameters of fit."""
    return [
        (t.term, three(t.incl_s), three(t.pri), three(t.cov_s), three(t.cov_u)) for t in model.terms
    ]


def model_row(model: ModelResult) -> tuple[str, str, str]:
    return three(model.incl_s), three(model.pri), three(model.cov_s)


def term_cases(model: ModelResult) -> list[str]:
    """R's case column: the cases of each explained row, rows separated by '; '."""
    return ["; ".join(",".join(group) for group in t.case_groups) for t in model.terms]


def table_rows(result: QcaResult) -> list[tuple[int, str, int, str, str, str]]:
    return [
        (row.id, row.out, row.n, three(row.incl), three(row.pri), ",".join(row.cases))
        for row in result.table.rows
    ]
