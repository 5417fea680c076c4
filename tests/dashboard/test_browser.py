"""The running dashboard in a real headless Chromium: every page loads with no exception and
with no serious accessibility violation (axe-core, WCAG 2 A and AA: contrast, names, roles), and
a screenshot of each is saved under test-output/screenshots/ (with the load times measured in
test-output/page-timings.json).

Uses Debian's /usr/bin/chromium through Playwright (never `playwright install`). Skipped with
the reason when Chromium is missing, unless TRACKER_REQUIRE_BROWSER is set (then it fails).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.accessibility import axe_script, serious_violations
from tests.dashboard.conftest import sqlite_url
from tests.servers import running_dashboard
from tracker.access import local_operator
from tracker.config import PROJECT_ROOT
from tracker.dashboard.navigation import PAGES, PageSpec, landing_page, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = PROJECT_ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
PRESENT = [page for page in PAGES if page.path.is_file()]
# Streamlit serves the landing page at the root address only (its own path is "not found").
LANDING = landing_page(local_operator(), pages_for(local_operator()))
# A page's first run analyses the sample from scratch on a machine that may be busy.
PAGE_TIMEOUT_MS = 180_000
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
timings: dict[str, dict[str, float]] = {}


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        why = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser test"
        if os.environ.get("TRACKER_REQUIRE_BROWSER"):
            pytest.fail(why)
        pytest.skip(why)
    return CHROMIUM


@pytest.fixture(scope="module")
def dashboard(
    chromium_path: Path, sample_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`streamlit run dashboard.py` on a private copy of the sample; yields its base URL."""
    folder = tmp_path_factory.mktemp("browser")
    database = folder / "sample.db"
    shutil.copyfile(sample_file, database)
    with running_dashboard(sqlite_url(database), folder) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def _load(page: Any, url: str) -> float:
    """Open `url` and wait until Streamlit has finished running the page; seconds taken."""
    started = time.monotonic()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
    return time.monotonic() - started


@pytest.fixture(scope="module")
def warm_dashboard(dashboard: str, browser: Any) -> str:
    """The dashboard after its first page run (which pays for importing the libraries)."""
    context = browser.new_context()
    try:
        timings["(first run after start, landing page)"] = {
            "first_load_s": round(_load(context.new_page(), dashboard), 2)
        }
    finally:
        context.close()
    return dashboard


@pytest.fixture(scope="module")
def axe() -> Path:
    return axe_script()


@pytest.mark.parametrize("spec", PRESENT, ids=lambda spec: spec.url_path)
def test_page_loads_in_chromium_without_an_exception_or_an_accessibility_violation(
    warm_dashboard: str, browser: Any, spec: PageSpec, axe: Path
) -> None:
    # Tall: Streamlit scrolls inside its own container, so a full-page shot is one viewport.
    context = browser.new_context(viewport={"width": 1500, "height": 2600})
    page = context.new_page()
    try:
        address = f"{warm_dashboard}/{'' if spec is LANDING else spec.url_path}"
        first = _load(page, address)
        # Again, now that the analysis is cached: what a user sees on every later visit.
        again = _load(page, address)
        timings[spec.url_path] = {"first_load_s": round(first, 2), "cached_s": round(again, 2)}
        page.wait_for_timeout(1500)  # let the charts finish drawing before the screenshot
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_role("heading", name=spec.title).count() >= 1
        # Every page as its reader gets it (the sidebar included): no serious violation, the
        # contrast of captions on the grey sidebar among them (.streamlit/config.toml's theme).
        assert serious_violations(page, axe) == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{spec.url_path}.png"), full_page=True)
    finally:
        context.close()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "page-timings.json").write_text(json.dumps(timings, indent=2) + "\n")


# Timeline, story and portfolio at a desktop and a phone width (#14), on the same server.
WIDTHS = {"desktop": 1400, "phone": 390}
VIEWS = {
    "timeline": ("timeline?institution=northdale-council", "Which change survived which turnover"),
    "story": ("story?institution=northdale-council", "What persisted"),
    "portfolio": ("portfolio", "Institutions at risk"),
}


def _address(base: str, path: str) -> str:
    # The landing page answers at the root address only.
    page, _, query = path.partition("?")
    if page == LANDING.url_path:
        page = ""
    return f"{base}/{page}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
@pytest.mark.parametrize("view", list(VIEWS))
def test_timeline_story_and_portfolio_read_at_desktop_and_phone_widths(
    warm_dashboard: str, browser: Any, view: str, width: int
) -> None:
    path, heading = VIEWS[view]
    height = 7000 if width < 800 else 3600
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        _load(page, _address(warm_dashboard, path))
        page.wait_for_timeout(4000)  # charts and the diagram draw after the script finishes
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text(heading, exact=False).first.is_visible()
        if view == "timeline":
            assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 4
            key = page.locator('[data-testid="stCaptionContainer"]', has_text="1 ▼ chief executive")
            assert key.first.is_visible()
        if view == "story":
            diagram = page.locator('[data-testid="stGraphVizChart"] svg')
            assert diagram.count() == 1 and diagram.first.is_visible()
            assert diagram.first.get_by_text("structural embedding").first.is_visible()
            assert page.get_by_text("None recorded").count() == 0
        if view in ("story", "portfolio"):
            for label in ("Word (.docx)", "PDF (.pdf)"):
                assert page.get_by_role("button", name=label).first.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{view}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_the_story_pack_downloads_open_in_word_and_pdf_readers(
    warm_dashboard: str, browser: Any, tmp_path: Path
) -> None:
    from docx import Document
    from pypdf import PdfReader

    context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    page = context.new_page()
    try:
        _load(page, _address(warm_dashboard, VIEWS["story"][0]))
        files = {}
        for label, suffix in (("Word (.docx)", "docx"), ("PDF (.pdf)", "pdf")):
            with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
                page.get_by_role("button", name=label).first.click()
            target = tmp_path / f"pack.{suffix}"
            download.value.save_as(target)
            assert download.value.suggested_filename == f"story-northdale-council.{suffix}"
            files[suffix] = target
    finally:
        context.close()
    document = Document(str(files["docx"]))
    word = " ".join(p.text for p in document.paragraphs)
    # The summary pack by default (#24, 5): the answer first, the notice for sample data.
    assert "The answer" in word and "Phase: later." in word
    assert "Illustrative sample data" in word
    assert "Which change survived which turnover" in word and "Caveats" in word
    assert len(document.inline_shapes) >= 2  # the diagram and the indicator charts
    reader = PdfReader(str(files["pdf"]))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "The answer" in text and "Phase: later." in text and "Caveats" in text
    assert len(reader.pages) <= 6
    assert sum(len(p.images) for p in reader.pages) >= 2
