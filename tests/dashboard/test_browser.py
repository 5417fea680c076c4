"""The running dashboard in a real headless Chromium: every page loads with no exception, and
a screenshot of each is saved under test-output/screenshots/ (with the load times measured in
test-output/page-timings.json).

Uses Debian's /usr/bin/chromium through Playwright (never `playwright install`). Skipped with
the reason when Chromium is missing, unless TRACKER_REQUIRE_BROWSER is set (then it fails).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import DASHBOARD, sqlite_url
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"streamlit did not answer within 90 s:\n{log.read_text()[-3000:]}")


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
    port = _free_port()
    log = folder / "streamlit.log"
    environment = {
        **os.environ,
        "TRACKER_DATABASE_URL": sqlite_url(database),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    command = [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        str(DASHBOARD),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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


@pytest.mark.parametrize("spec", PRESENT, ids=lambda spec: spec.url_path)
def test_page_loads_in_chromium_without_an_exception(
    warm_dashboard: str, browser: Any, spec: PageSpec
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
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{spec.url_path}.png"), full_page=True)
    finally:
        context.close()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "page-timings.json").write_text(json.dumps(timings, indent=2) + "\n")
