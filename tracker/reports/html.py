"""Reports as ONE self-contained HTML file (pure functions over the report model).

Each block of the report model is written as Markdown (`markdown.block_markdown`) and converted
with markdown-it-py, with raw HTML, links, images and autolinks
switched off: together with the escaping of every evaluator-written text in the Markdown, the
file holds no script, no link and no reference to anything outside it. The style is inline CSS.
Figures (the theory-of-change diagram, the indicator charts) are inline SVG drawn by vl-convert
(`figures`): still nothing outside the file.

Tables take a fast path: every cell of a report table is escaped text (`blocks.table`), so it is
unescaped and HTML-escaped directly; markdown-it, written in Python, would take tens of seconds
over the drill-down table of a national portfolio (25,000 rows). The result is the same HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt

from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.stories import Story
from tracker.dataset import Dataset
from tracker.reports.markdown import block_markdown
from tracker.reports.model import Figure, Report

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5;
       color: #1d1d1f; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.8rem; border-bottom: 3px solid #2f5d62; padding-bottom: .3rem; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; color: #2f5d62; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
blockquote { margin: 1rem 0; padding: .8rem 1rem; background: #f3f6f4;
             border-left: 4px solid #2f5d62; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid #d0d7d4; padding: .35rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #eef2f0; }
tr:nth-child(even) td { background: #fafbfa; }
figure { margin: 1.2rem 0; max-width: 100%; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #555; }
@media print { main { max-width: none; } h2 { break-after: avoid; } }
"""


def _renderer() -> MarkdownIt:
    # No raw HTML and no links of any kind: the file must not point anywhere.
    return (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .disable(["link", "image", "autolink", "html_inline", "html_block"])
    )


_CELL_BOUNDARY = re.compile(r"(?<!\\)\|")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_TABLE_RULE = re.compile(r"^\|(?:-{3,}\|)+$")


def _cells(line: str) -> list[str]:
    # Report tables join cells with " | " and escape every "|" inside a cell as "\|".
    inner = line.strip()[1:-1]
    return [_escape(_ESCAPED.sub(r"\1", cell.strip())) for cell in _CELL_BOUNDARY.split(inner)]


def _escape(text: str) -> str:
    # The same escaping as markdown-it's: &, <, > and double quotes.
    return html.escape(text, quote=False).replace('"', "&quot;")


def _is_table(block: str) -> bool:
    lines = block.split("\n")
    return (
        len(lines) >= 2
        and bool(_TABLE_RULE.match(lines[1]))
        and all(line.startswith("|") and line.endswith("|") for line in lines)
    )


def table_html(block: str) -> str:
    """A report table (`blocks.table`) as HTML, as markdown-it would render it."""
    lines = block.split("\n")
    head = "".join(f"<th>{cell}</th>\n" for cell in _cells(lines[0]))
    rows = "".join(
        "<tr>\n" + "".join(f"<td>{cell}</td>\n" for cell in _cells(line)) + "</tr>\n"
        for line in lines[2:]
    )
    body = f"<tbody>\n{rows}</tbody>\n" if rows else ""
    return f"<table>\n<thead>\n<tr>\n{head}</tr>\n</thead>\n{body}</table>\n"


def markdown_html(markdown: str) -> str:
    """Report Markdown as an HTML fragment (blocks are separated by blank lines)."""
    renderer = _renderer()
    return "".join(
        table_html(block) if _is_table(block) else renderer.render(block)
        for block in markdown.split("\n\n")
    )


def _page(body: str, *, title: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{STYLE}</style>\n"
        "</head>\n<body>\n<main>\n"
        f"{body}"
        "</main>\n</body>\n</html>\n"
    )


def html_document(markdown: str, *, title: str) -> str:
    """A complete HTML page from report Markdown: inline CSS, no scripts, no external links."""
    return _page(markdown_html(markdown), title=title)


_SVG_START = re.compile(r"^.*?(<svg\b)", re.DOTALL)
_SVG_LINKS = re.compile(r"\s(?:xlink:href|href)=\"[^\"]*\"")


def figure_html(figure: Figure) -> str:
    """A figure as inline SVG with its describing sentence as the caption."""
    from tracker.reports.figures import figure_svg

    svg = _SVG_START.sub(r"\1", figure_svg(figure), count=1)
    svg = _SVG_LINKS.sub("", svg)
    return (
        f'<figure role="img" aria-label="{_escape(figure.alt)}">\n{svg}\n'
        f"<figcaption>{_escape(figure.alt)}</figcaption>\n</figure>\n"
    )


def report_html(report: Report) -> str:
    """A report model as one self-contained HTML page."""
    renderer = _renderer()
    parts = []
    for block in report.blocks:
        if isinstance(block, Figure):
            parts.append(figure_html(block))
            continue
        text = block_markdown(block)
        parts.append(table_html(text) if _is_table(text) else renderer.render(text))
    return _page("".join(parts), title=report.title)


def stories_html(
    stories: Story | Sequence[Story],
    params: Parameters | None = None,
    *,
    dataset: Dataset | None = None,
) -> str:
    """An institution's contribution story (and its claims' stories) as one HTML file."""
    from tracker.reports.story_report import story_report

    return report_html(story_report(stories, params, dataset=dataset))


def portfolio_html(summary: PortfolioSummary) -> str:
    """A portfolio summary as one HTML file."""
    from tracker.reports.portfolio_report import portfolio_report

    return report_html(portfolio_report(summary))
