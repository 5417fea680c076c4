"""The funder's pack: one report model rendered as Word and PDF, read back with python-docx and
pypdf: the headline, the theory-of-change diagram, the change × turnover matrix and the caveats
are there, and every sentence the product wrote passes the language check."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.reports.test_markdown import northdale
from tracker.access import local_operator
from tracker.analysis.language import check_language
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.stories import Story, institution_stories
from tracker.cli import app
from tracker.config import sample_data_path
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.reports.chain_diagram import chain_dot, chain_nodes, chain_spec
from tracker.reports.model import Report, Table
from tracker.reports.registry import render
from tracker.reports.story_report import story_report
from tracker.writes.imports.importer import import_workbook


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    dataset = northdale().build()
    result = analyse(dataset, Parameters(), include_its=True)
    return institution_stories(dataset, result, "northdale")


@pytest.fixture(scope="module")
def report(stories: list[Story]) -> Report:
    return story_report(stories, dataset=northdale().build())


@pytest.fixture(scope="module")
def docx_text(report: Report) -> tuple[str, object]:
    from docx import Document

    document = Document(io.BytesIO(render(report, "docx")))  # type: ignore[arg-type]
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return _squash("\n".join(paragraphs + cells)), document


@pytest.fixture(scope="module")
def pdf_reader(report: Report) -> object:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(render(report, "pdf")))  # type: ignore[arg-type]


def _matrix(report: Report) -> Table:
    return next(t for t in report.tables() if t.headers and t.headers[0] == "change")


def test_word_pack_has_the_headline_diagram_matrix_and_caveats(
    report: Report, docx_text: tuple[str, object]
) -> None:
    text, document = docx_text
    for line in report.headline:
        assert _squash(line) in text
    assert len(document.inline_shapes) >= 1 + len(report.figures("indicator"))  # type: ignore[attr-defined]
    assert _squash(report.figures("chain")[0].alt) in text
    matrix = _matrix(report)
    header_rows = [[c.text for c in t.rows[0].cells] for t in document.tables]  # type: ignore[attr-defined]
    assert list(matrix.headers) in header_rows
    assert "✔ persisted" in text and "✘ reversed" in text
    assert "Caveats" in text
    assert "Untested persistence is not persistence" in text


def test_pdf_pack_has_the_headline_diagram_matrix_and_caveats(
    report: Report, pdf_reader: object
) -> None:
    pages = pdf_reader.pages  # type: ignore[attr-defined]
    text = _squash(" ".join(page.extract_text() for page in pages))
    for line in report.headline:
        assert _squash(line) in text
    assert sum(len(page.images) for page in pages) >= 1 + len(report.figures("indicator"))
    assert _squash(report.figures("chain")[0].alt) in text
    for header in _matrix(report).headers:
        assert _squash(header) in text
    assert "persisted" in text and "reversed" in text
    assert "Caveats" in text and "Untested persistence is not persistence" in text


def test_every_generated_sentence_in_the_pack_passes_the_language_check(
    report: Report, docx_text: tuple[str, object]
) -> None:
    texts = report.generated_texts()
    assert len(texts) > 50
    assert [t for t in texts if check_language(t)] == []
    word = docx_text[0]
    missing = [t for t in texts if t and _squash(t) not in word]
    assert missing == []


def test_diagram_strengths_and_counts_equal_the_story(stories: list[Story]) -> None:
    for story in stories:
        nodes = chain_nodes(story)
        assert [(n.link, n.strength, n.n_for, n.n_against) for n in nodes] == [
            (link.link, link.strength, link.n_for, link.n_against) for link in story.chain
        ]
        dot = chain_dot(story)
        drawn = chain_spec(story)["data"]["values"]
        for row, link in zip(drawn, story.chain, strict=True):
            words = f"{link.strength} · {link.n_for} for, {link.n_against} against"
            assert words in dot
            assert row["line2"].startswith(words)
            assert row["label"] == link.label
        gaps = {g.topic for g in story.gaps}
        assert {n.link for n in nodes if n.gap} == {
            t.removeprefix("link ") for t in gaps if t.startswith("link ")
        }


def test_link_counts_name_what_they_count(report: Report) -> None:
    from tracker.reports.markdown import report_markdown

    text = report_markdown(report)
    assert "None recorded" not in text
    assert re.search(r"\*\*Evidence for:\*\* (\d+ (change|decision|indicator)s?, )*", text)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("packs") / "sample.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    import_workbook(engine, sample_data_path(), actor=local_operator())
    engine.dispose()
    return f"sqlite:///{path}"


def test_report_command_writes_word_and_pdf_and_refuses_binary_on_stdout(
    sample_db: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    pdf = tmp_path / "pack.pdf"
    ran = runner.invoke(
        app,
        ["report", "--institution", "northdale-council", "--format", "pdf", "-o", str(pdf),
         "--db", sample_db],
    )
    assert ran.exit_code == 0, ran.output
    assert pdf.read_bytes().startswith(b"%PDF")
    refused = runner.invoke(app, ["report", "--format", "docx", "--db", sample_db])
    assert refused.exit_code == 1
    assert "-o FILE" in refused.output


def test_a_funders_word_template_keeps_its_letterhead_and_styles(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document
    from docx.shared import Pt

    template = Document()
    template.add_paragraph("Fund A letterhead")
    template.styles["Normal"].font.size = Pt(13)
    path = tmp_path / "ours.docx"
    template.save(str(path))
    monkeypatch.setenv("TRACKER_REPORT_TEMPLATE", str(path))
    built = Document(io.BytesIO(render(report, "docx")))  # type: ignore[arg-type]
    assert built.paragraphs[0].text == "Fund A letterhead"
    assert built.paragraphs[1].text == report.title
    assert built.styles["Normal"].font.size == Pt(13)
    monkeypatch.setenv("TRACKER_REPORT_TEMPLATE", str(tmp_path / "missing.docx"))
    with pytest.raises(ValueError, match="no such file"):
        render(report, "docx")
