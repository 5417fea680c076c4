"""What the portfolio page shows a funder: their own portfolio first, files named after it,
and a spreadsheet in words and rounded numbers."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from tracker.access import Actor
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary, portfolio_summary
from tracker.analysis.run import analyse
from tracker.dashboard.portfolio.portfolio_view import default_portfolio
from tracker.dashboard.portfolio.xlsx_export import portfolio_xlsx
from tracker.db import make_engine, read_session
from tracker.queries import load_dataset
from tracker.reports.portfolio_report import file_stem

PORTFOLIOS = pd.DataFrame(
    {"portfolio": ["fund-b", "fund-a", "other"], "name": ["Beta Fund", "Alpha Fund", None]}
)


def test_a_funder_lands_on_their_own_portfolio() -> None:
    funder = Actor(name="f", role="funder", portfolios=frozenset({"fund-b", "fund-a"}))
    assert default_portfolio(funder, PORTFOLIOS) == "fund-a"  # first by name
    assert default_portfolio(Actor(name="a", role="admin"), PORTFOLIOS) is None
    nothing = Actor(name="g", role="funder", portfolios=frozenset({"gone"}))
    assert default_portfolio(nothing, PORTFOLIOS) is None


@pytest.fixture(scope="module")
def summary(sample_file: object) -> PortfolioSummary:
    engine = make_engine(f"sqlite:///{sample_file}")
    with read_session(engine) as session:
        dataset = load_dataset(session)
    engine.dispose()
    return portfolio_summary(dataset, analyse(dataset, Parameters()), portfolio=None)


def test_report_files_are_named_after_the_portfolio(summary: PortfolioSummary) -> None:
    assert file_stem(summary) == "portfolio-all-institutions"
    from dataclasses import replace

    named = replace(summary, portfolio="fund-a", name="Place-based culture (the article's 4)")
    assert file_stem(named) == "portfolio-place-based-culture-the-article-s-4"


def test_the_spreadsheet_has_names_labels_and_rounded_numbers(summary: PortfolioSummary) -> None:
    book = pd.read_excel(io.BytesIO(portfolio_xlsx(summary)), sheet_name=None)
    institutions = book["institutions"]
    assert "name" in institutions.columns and "costly reversal" in institutions.columns
    assert not [c for c in institutions.columns if "_" in str(c)]
    assert set(institutions["costly reversal"]) <= {"yes", "no"}
    assert "too early" in set(book["verdicts"]["verdict"])
    for sheet in book.values():
        for column in sheet.select_dtypes("number").columns:
            for value in sheet[column].dropna():
                assert math.isclose(value, round(value, 3)), (column, value)
    share = book["summary"].set_index("item").loc["share tested", "value"]
    assert str(share).endswith("%")
