"""Reports rendered as Markdown (pure functions over the report model, `model.Report`).

Each report states the parameters used, the as-of date, every verdict with its reason, every
Bayes number, and the standard contribution-language disclaimer. Text written by evaluators is
escaped (`blocks.md`) so that it reads as text, never as markup. Markdown carries no image: a
figure is written as the sentence that describes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.stories import Story
from tracker.dataset import Dataset
from tracker.reports.blocks import bullets, heading_text, md, table
from tracker.reports.model import Block, Bullets, Figure, Heading, Quote, Report, Table, Text
from tracker.reports.story_report import story_title

__all__ = ["block_markdown", "portfolio_markdown", "report_markdown", "stories_markdown",
           "story_title"]


def block_markdown(block: Block) -> str:
    """One block as Markdown (every text escaped)."""
    if isinstance(block, Heading):
        text = heading_text(block.text) if block.level > 1 else md(block.text)
        return f"{'#' * block.level} {text}"
    if isinstance(block, Text):
        lead = f"**{md(block.lead)}**" if block.lead else ""
        return " ".join(part for part in (lead, md(block.text)) if part)
    if isinstance(block, Quote):
        return f"> {md(block.text)}"
    if isinstance(block, Bullets):
        return bullets(md(item) for item in block.items)
    if isinstance(block, Table):
        return table(block.headers, block.rows, empty=block.empty)
    if isinstance(block, Figure):
        return f"*{md('Figure: ' + block.alt)}*"
    raise TypeError(f"unknown report block {block!r}")


def report_markdown(report: Report) -> str:
    """The whole report as Markdown: its blocks separated by blank lines."""
    return "\n\n".join(text for block in report.blocks if (text := block_markdown(block))) + "\n"


def stories_markdown(
    stories: Story | Sequence[Story],
    params: Parameters | None = None,
    *,
    dataset: Dataset | None = None,
) -> str:
    """An institution's contribution story as Markdown (see `story_report.story_report`)."""
    from tracker.reports.story_report import story_report

    return report_markdown(story_report(stories, params, dataset=dataset))


def portfolio_markdown(summary: PortfolioSummary) -> str:
    """A portfolio summary as Markdown: counts, share tested, at risk, survival, institutions."""
    from tracker.reports.portfolio_report import portfolio_report

    return report_markdown(portfolio_report(summary))
