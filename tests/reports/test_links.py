"""Evaluator text is text in every renderer: a Markdown link written in a claim, a title or a
note never becomes a link with its address hidden behind words. The address may be shown (as
the evaluator wrote it), never hidden: no link annotation in the PDF, no hyperlink in Word, no
`<a>` in HTML, no link syntax left live in Markdown."""

from __future__ import annotations

import io
import re

import pytest

from tests.reports.test_markdown import northdale, stories_of
from tracker.reports.model import Report
from tracker.reports.registry import render
from tracker.reports.story_report import story_report

ADDRESS = "https://evil.example/board-minutes"
LINKED = f"See the [minutes]({ADDRESS}) of the board."


@pytest.fixture(scope="module")
def report() -> Report:
    scenario = (
        northdale()
        .claim("cl-link", LINKED, prior=0.4)
        .evidence("e-link", "2017-06-01", claim="cl-link", link="engagement", test="hoop",
                  title=f"[Board minutes]({ADDRESS})")
    )
    dataset = scenario.build()
    return story_report(stories_of(dataset), dataset=dataset)


def _squash(text: str) -> str:
    return re.sub(r"[\s\u200b]+", " ", text)


def test_the_pdf_shows_the_address_and_holds_no_link(report: Report) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render(report, "pdf")))  # type: ignore[arg-type]
    annotations = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert [a for a in annotations if a.get("/Subtype") == "/Link"] == []
    text = _squash(" ".join(page.extract_text() for page in reader.pages))
    assert "evil.example/board-minutes" in text
    assert "minutes] (https://evil.example" in text or "minutes](https://evil.example" in text


def test_the_word_pack_shows_the_address_and_holds_no_hyperlink(report: Report) -> None:
    from docx import Document

    document = Document(io.BytesIO(render(report, "docx")))  # type: ignore[arg-type]
    hyperlinks = [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert hyperlinks == []
    assert not document.element.body.xpath(".//w:hyperlink")
    text = " ".join(p.text for p in document.paragraphs)
    text += " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert ADDRESS in text


def test_html_and_markdown_show_the_address_and_hold_no_link(report: Report) -> None:
    html = render(report, "html")
    html_text = html.decode() if isinstance(html, bytes) else html
    assert "<a " not in html_text and "href" not in html_text
    assert "evil.example/board-minutes" in html_text
    markdown = render(report, "md")
    markdown_text = markdown.decode() if isinstance(markdown, bytes) else markdown
    assert f"]({ADDRESS})" not in markdown_text
    assert "evil.example/board-minutes" in markdown_text
