"""HTML reports: one self-contained file, user text escaped, nothing pointing outside."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from tests.builders import Scenario
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import portfolio_summary
from tracker.analysis.run import analyse
from tracker.analysis.stories import institution_stories
from tracker.reports.html import html_document, portfolio_html, stories_html, table_html
from tracker.reports.markdown import stories_markdown


def scenario() -> Scenario:
    return (
        Scenario("northdale", name="Northdale <Council> & Partners")
        .tenure("chief_executive", "A", "2014-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .change("c-hiring", adopted="2016-01-01", title="<script>alert('x')</script>")
        .status("c-hiring", "2019-06-01", "in_force")
        .claim("cl1", "See [our site](https://example.org) and ![img](https://example.org/i.png)")
        .evidence(
            "e1", "2018-01-01", claim="cl1", test="hoop", title="<img src=https://example.org/x>"
        )
        .factor("Austerity <b>", "2012-01-01", notes="<https://example.org/autolink>")
        .in_portfolio("fund-a", name="Fund <A>")
    )


def reports() -> list[str]:
    dataset = scenario().build()
    result = analyse(dataset, Parameters())
    return [
        stories_html(institution_stories(dataset, result, "northdale")),
        portfolio_html(portfolio_summary(dataset, result, portfolio="fund-a")),
    ]


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(document: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(document)
    return parser.tags


def test_report_is_one_self_contained_html_file_with_inline_css() -> None:
    for document in reports():
        assert document.startswith("<!DOCTYPE html>")
        assert document.rstrip().endswith("</html>")
        names = {tag for tag, _ in tags_of(document)}
        assert "style" in names
        assert not names & {"script", "link", "img", "a", "iframe", "object", "embed"}
        attributes = [name for _, attrs in tags_of(document) for name in attrs]
        assert not set(attributes) & {"href", "src", "onload", "onerror"}


def test_no_external_reference_survives_as_markup() -> None:
    for document in reports():
        # The addresses are shown as text only, never inside a tag.
        for tag in re.findall(r"<[^>]*>", document):
            assert "example.org" not in tag


def test_user_text_is_escaped() -> None:
    story, portfolio = reports()
    assert "&lt;script&gt;alert" in story
    assert "Northdale &lt;Council&gt; &amp; Partners" in story
    assert "<title>Contribution story: Northdale &lt;Council&gt; &amp; Partners" in story
    assert "Fund &lt;A&gt;" in portfolio


def test_tables_render_as_html_tables() -> None:
    story, portfolio = reports()
    assert "<table>" in story and "<th>verdict</th>" in story
    assert "<th>phase</th>" in portfolio


def test_html_document_wraps_markdown() -> None:
    document = html_document("# Title\n\nSome *text*.", title="T <1>")
    assert "<h1>Title</h1>" in document
    assert "<em>text</em>" in document
    assert "<title>T &lt;1&gt;</title>" in document


def test_fast_table_path_gives_the_same_html_as_markdown_it() -> None:
    dataset = scenario().evidence("e2", "2018-02-01", title='a \\ b | "c" & <d> `e` *f* \\').build()
    result = analyse(dataset, Parameters())
    report = stories_markdown(institution_stories(dataset, result, "northdale"))
    tables = [block for block in report.split("\n\n") if block.startswith("| ")]
    assert len(tables) > 10
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    for block in tables:
        assert table_html(block) == renderer.render(block)
