"""The summary pack (#24, 5), built from the sample as `tracker report --format pdf` builds it:
at most six pages, the illustrative notice on page 1, words where a person reads (no vocabulary
code, no record key outside the small print), one page size (A4 by default, Letter on request)
in Word and PDF. Its pages are drawn with pdftoppm into test-output/summary-pack/ to be looked
at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.config import PROJECT_ROOT, sample_data_path
from tracker.workbook.read import read_workbook

PICTURES = PROJECT_ROOT / "test-output" / "summary-pack"
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _keys() -> set[str]:
    """Every record key of the sample (changes, evidence, decisions, claims, indicators)."""
    raw = read_workbook(sample_data_path())
    return {key for table in ("changes", "evidence", "decisions", "claims", "indicators")
            for key in raw.tables[table]["key"]}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('summary') / 'sample.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade", "--db", url]).exit_code == 0
    assert runner.invoke(app, ["sample", "load", "--db", url]).exit_code == 0
    return url


def _report(url: str, target: Path, *extra: str) -> None:
    ran = CliRunner().invoke(app, ["report", "--institution", "wigan-council", "--format",
                                   target.suffix[1:], "-o", str(target), "--db", url, *extra])
    assert ran.exit_code == 0, ran.stderr


def test_the_summary_pack_is_six_pages_at_most_with_the_notice_and_no_code_or_key(
    sample_db: str, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    pdf = tmp_path / "story-wigan-council.pdf"
    _report(sample_db, pdf)
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert 1 <= len(reader.pages) <= 6
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Illustrative sample data" in pages[0]
    assert "Which change survived which turnover" in " ".join(pages)
    assert "Caveats" in pages[-1] or "Caveats" in pages[-2]
    reading = " ".join(pages).split("Small print:")[0]
    assert not CODE.findall(reading), CODE.findall(reading)
    assert not [key for key in _keys() if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])",
                                                    reading)]
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4, in points
    if shutil.which("pdftoppm"):
        PICTURES.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(PICTURES / "page")],
                       check=True)


def test_word_and_pdf_take_one_page_size_letter_on_request(
    sample_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document
    from pypdf import PdfReader

    monkeypatch.setenv("TRACKER_PAGE_SIZE", "Letter")
    _report(sample_db, tmp_path / "pack.pdf")
    _report(sample_db, tmp_path / "pack.docx")
    box = PdfReader(str(tmp_path / "pack.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    section = Document(str(tmp_path / "pack.docx")).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (216, 279)
    monkeypatch.setenv("TRACKER_PAGE_SIZE", "A4")
    _report(sample_db, tmp_path / "a4.docx")
    section = Document(str(tmp_path / "a4.docx")).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    headings = [p for p in Document(str(tmp_path / "a4.docx")).paragraphs
                if p.style.name.startswith("Heading")]
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)


def test_the_full_story_stays_available(sample_db: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    _report(sample_db, tmp_path / "full.pdf", "--pack", "full")
    summary = tmp_path / "summary.pdf"
    _report(sample_db, summary)
    assert len(PdfReader(str(tmp_path / "full.pdf")).pages) > len(PdfReader(str(summary)).pages)
