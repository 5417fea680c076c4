"""The portfolio report's Configurations section in Markdown, HTML, Word and PDF, on the sample:
the question, the answer in words and notation, the truth table with institutions named, the
caveat in contribution language; every sentence passes the language check."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tracker.analysis.language import check_language
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary, portfolio_summary
from tracker.analysis.qca.portfolio_configurations import (
    CONTRIBUTION_CAVEAT,
    portfolio_configurations,
)
from tracker.analysis.run import analyse
from tracker.reports.model import Report
from tracker.reports.portfolio_report import portfolio_report
from tracker.reports.registry import render
from tracker.workbook.read import read_workbook
from tracker.workbook.validate import validate_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
ANSWER = (
    "Across these 10 institutions, 'in the later phase' is consistently found with a costly "
    "reversal and a turnover and many structural changes"
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def summary() -> PortfolioSummary:
    dataset, _ = validate_workbook(read_workbook(SAMPLE))
    return portfolio_summary(dataset, analyse(dataset, Parameters()))


@pytest.fixture(scope="module")
def report(summary: PortfolioSummary) -> Report:
    return portfolio_report(summary)


def test_markdown_and_html_carry_the_section(report: Report) -> None:
    markdown = str(render(report, "md"))
    section = markdown.split("## Configurations", 1)[1].split("\n## ", 1)[0]
    assert "**The question:** Which configurations of these conditions" in section
    assert ANSWER in section
    assert r"costly\_reversal\*turnover\*many\_changes → later\_phase" in section
    assert "| yes | yes | yes | 2 | 0.88 | consistent | Northdale Council, Wigan Council |" in (
        section
    )
    html = str(render(report, "html"))
    assert ">Configurations</h2>" in html
    assert "Northdale Council, Wigan Council" in html


def test_word_and_pdf_carry_the_answer_and_the_caveat(report: Report) -> None:
    from docx import Document
    from pypdf import PdfReader

    document = Document(io.BytesIO(render(report, "docx")))  # type: ignore[arg-type]
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    word = _squash("\n".join(paragraphs + cells))
    assert ANSWER in word
    assert _squash(CONTRIBUTION_CAVEAT) in word
    assert "Northdale Council, Wigan Council" in word
    pdf = PdfReader(io.BytesIO(render(report, "pdf")))  # type: ignore[arg-type]
    text = _squash(" ".join(page.extract_text() for page in pdf.pages))
    assert "Configurations" in text
    assert "costly_reversal*turnover*many_changes" in text


def test_every_sentence_of_the_section_passes_the_language_check(
    summary: PortfolioSummary,
) -> None:
    for outcome in ("later_phase", "persisted", "~persisted", "reversed"):
        for solution in ("conservative", "parsimonious"):
            found = portfolio_configurations(summary, outcome=outcome, solution=solution)
            texts = [*found.sentences, *found.caveats, found.unanswered or ""]
            assert [t for t in texts if check_language(t)] == []


def test_the_report_answers_the_question_it_is_given(summary: PortfolioSummary) -> None:
    asked = portfolio_configurations(
        summary, outcome="persisted", conditions=("costly_reversal", "repeated_turnover")
    )
    markdown = str(render(portfolio_report(summary, asked), "md"))
    assert "'every tested change persisted'" in markdown
    assert "**Left out:**" in markdown
