"""The "Upload a workbook" tab also takes another tool's export with its mapping, in a real
headless Chromium: the Kobo sample and its mapping are uploaded, the preview says what would
change and what is skipped, "Import it" writes the values (screenshot source-upload.png)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FINISHED,
    PAGE_TIMEOUT_MS,
    SCREENSHOTS,
)
from tests.servers import running_dashboard
from tracker.config import PROJECT_ROOT
from tracker.db import make_engine

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KOBO = PROJECT_ROOT / "sample_data" / "sources" / "kobo"


@pytest.fixture(scope="module")
def served(
    sample_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    if not CHROMIUM.exists():
        if os.environ.get("TRACKER_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package")
    folder = tmp_path_factory.mktemp("source-upload")
    database = folder / "sample.db"
    shutil.copyfile(sample_file, database)
    with running_dashboard(sqlite_url(database), folder) as base:
        yield base, database


def test_a_kobo_export_and_its_mapping_are_previewed_then_imported(
    served: tuple[str, Path]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, database = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.goto(f"{base}/log-quarter?institution=northdale-council",
                      wait_until="domcontentloaded")
            page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
            page.get_by_role("tab", name="Upload a workbook", exact=True).click()
            page.get_by_label("What to upload").locator("visible=true").click()
            page.get_by_role("option", name="KoboToolbox export").click()
            page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
            inputs = page.locator('input[type="file"]')
            inputs.nth(0).set_input_files(str(KOBO / "quarterly_check_in.csv"))
            page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
            inputs.nth(1).set_input_files(str(KOBO / "mapping.toml"))
            expect(page.get_by_text("The export is valid.")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_text("Skipped, as the mapping says: 1 state not_approved."))\
                .to_be_visible()
            page.get_by_role("button", name="Import it").click()
            expect(page.get_by_text("KoboToolbox export imported (quarterly_check_in.csv)."))\
                .to_be_visible(timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(500)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "source-upload.png"), full_page=True)
        finally:
            browser.close()
    engine = make_engine(sqlite_url(database))
    with engine.connect() as conn:
        imported = conn.execute(text(
            "SELECT count(*) FROM source_records WHERE source = 'kobo'")).scalar()
    engine.dispose()
    assert imported == 7
