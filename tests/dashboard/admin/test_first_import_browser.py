"""The first steps' *Import it*, in a real headless Chromium (#24, 9): after importing a workbook
on the first-steps page of an empty database, the page that replaces them says it was imported.
Screenshot test-output/screenshots/first-import.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.admin.test_keyboard_accounts_browser import _settled
from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_browser import SCREENSHOTS, browser, chromium_path
from tests.servers import running_dashboard
from tracker.config import sample_data_path
from tracker.db import make_engine
from tracker.migrate import upgrade

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path"]


@pytest.fixture(scope="module")
def empty_dashboard(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("first-import")
    url = sqlite_url(folder / "empty.db")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    with running_dashboard(url, folder) as base:
        yield base


def test_a_workbook_imported_on_the_first_steps_page_says_so(
    empty_dashboard: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    try:
        page.goto(empty_dashboard, wait_until="domcontentloaded")
        _settled(page)
        files = sorted(str(p) for p in sample_data_path().glob("*.csv"))
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
            files
        )
        page.get_by_role("button", name="Import it").wait_for(timeout=120_000)
        page.get_by_role("button", name="Import it").click()
        try:
            page.get_by_text("Workbook imported (upload of").wait_for(timeout=120_000)
        finally:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "first-import.png"), full_page=True)
        assert page.get_by_text("holds no institution yet").count() == 0
    finally:
        context.close()
