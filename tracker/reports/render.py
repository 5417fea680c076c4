"""One entry point for reports: analyse, build the report model, render it in a format."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tracker.analysis.params import Parameters
from tracker.dataset import Dataset
from tracker.reports.model import Report

if TYPE_CHECKING:
    from tracker.analysis.portfolio import PortfolioSummary


def build_report(
    dataset: Dataset,
    params: Parameters,
    *,
    institution: str | None = None,
    portfolio: str | None = None,
    pack: str = "full",
) -> Report:
    """The contribution story of `institution` (`pack` "summary": the summary pack of at most
    six pages; "full": every section), else the summary of `portfolio` (None: all)."""
    from tracker.analysis.portfolio import portfolio_summary
    from tracker.analysis.run import analyse
    from tracker.analysis.stories import institution_stories
    from tracker.reports.portfolio_report import portfolio_report
    from tracker.reports.story_report import story_report

    if institution is not None:
        result = analyse(dataset, params, institutions=[institution], include_its=True)
        stories = institution_stories(dataset, result, institution)
        if pack == "summary":
            from tracker.reports.summary_pack import summary_report

            return summary_report(stories, dataset=dataset)
        return story_report(stories, params, dataset=dataset)
    result = analyse(dataset, params)
    return portfolio_report(portfolio_summary(dataset, result, portfolio=portfolio))


def render_report(
    dataset: Dataset,
    params: Parameters,
    *,
    institution: str | None = None,
    portfolio: str | None = None,
    format: str = "md",
    template: Path | None = None,
    pack: str = "full",
) -> bytes | str:
    """The report in `format` (`registry.FORMATS`): text for md and html, bytes for docx, pdf."""
    from tracker.reports.registry import render

    report = build_report(dataset, params, institution=institution, portfolio=portfolio,
                          pack=pack)
    return render(report, format, template=template)


def render_portfolio_report(
    summary: PortfolioSummary, format: str = "md", *, template: Path | None = None
) -> bytes | str:
    """The report of a portfolio summary already made (e.g. from the results store,
    `tracker.store.portfolio.stored_portfolio`) in `format`."""
    from tracker.reports.portfolio_report import portfolio_report
    from tracker.reports.registry import render

    return render(portfolio_report(summary), format, template=template)
