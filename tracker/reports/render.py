"""One entry point for reports: analyse, then render a story or a portfolio summary."""

from __future__ import annotations

from tracker.analysis.params import Parameters
from tracker.dataset import Dataset


def render_report(
    dataset: Dataset,
    params: Parameters,
    *,
    institution: str | None = None,
    portfolio: str | None = None,
    format: str = "md",
) -> str:
    """The contribution story of `institution`, else the summary of `portfolio` (None: all)."""
    from tracker.analysis.portfolio import portfolio_summary
    from tracker.analysis.run import analyse
    from tracker.analysis.stories import institution_stories
    from tracker.reports import html, markdown

    if institution is not None:
        result = analyse(dataset, params, institutions=[institution], include_its=True)
        stories = institution_stories(dataset, result, institution)
        if format == "html":
            return html.stories_html(stories, params)
        return markdown.stories_markdown(stories, params)
    result = analyse(dataset, params)
    summary = portfolio_summary(dataset, result, portfolio=portfolio)
    if format == "html":
        return html.portfolio_html(summary)
    return markdown.portfolio_markdown(summary)
