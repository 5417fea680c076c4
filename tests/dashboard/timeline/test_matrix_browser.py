"""The change × turnover matrix reads whole (#24, 6), in a real headless Chromium: at 1400 px
every turnover's column is inside the page (no sideways scroll), and on a phone (390 px) each
change is a card with its name in full and every turnover's verdict. Screenshots
test-output/screenshots/matrix-1400.png and matrix-390.png."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_browser import (
    FINISHED,
    PAGE_TIMEOUT_MS,
    SCREENSHOTS,
    browser,
    chromium_path,
)
from tests.servers import running_dashboard

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path"]

ADDRESS = "timeline?institution=wigan-council"
CHANGES = (
    "The Wigan Deal: an informal agreement between the council and residents",
    "Progress with Unity: a ten-year strategy framed as a movement across the borough",
)


@pytest.fixture(scope="module")
def sample_dashboard(
    chromium_path: Path, sample_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("matrix")
    shutil.copyfile(sample_file, folder / "sample.db")
    with running_dashboard(sqlite_url(folder / "sample.db"), folder) as base:
        yield base


def _open(browser: Any, base: str, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 2400})
    page = context.new_page()
    page.goto(f"{base}/{ADDRESS}", wait_until="domcontentloaded")
    page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
    table = page.locator("table.tracker-matrix")
    table.wait_for(timeout=60_000)
    table.scroll_into_view_if_needed()
    return context, page


@pytest.mark.parametrize("width", [1400, 390])
def test_the_matrix_reads_whole(sample_dashboard: str, browser: Any, width: int) -> None:
    context, page = _open(browser, sample_dashboard, width)
    try:
        table = page.locator("table.tracker-matrix")
        box = table.bounding_box()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        table.screenshot(path=str(SCREENSHOTS / f"matrix-{width}.png"))
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        overflow = table.evaluate("t => t.scrollWidth - t.clientWidth")
        assert overflow <= 1
        for name in CHANGES:
            cell = table.locator("td.change", has_text=name)
            assert cell.is_visible() and cell.inner_text() == name
        verdicts = table.locator("td.verdict")
        assert verdicts.count() == 4 * 3
        for index in range(verdicts.count()):
            cell = verdicts.nth(index).bounding_box()
            assert cell["x"] + cell["width"] <= width
        if width < 700:  # each verdict says which turnover it is about
            first = verdicts.first.evaluate(
                "c => getComputedStyle(c, '::before').content")
            assert "chief executive" in first
    finally:
        context.close()
