"""No request leaves the dashboard's server: an administrator signs in and opens pages in a real
headless Chromium; every request the pages make (documents, scripts, fonts, the tab's icon,
images) goes to the dashboard's own host, or is data the page holds (data:, blob:).

Before issue 25, every page asked fonts.gstatic.com for its tab icon (Streamlit's
`:material/…:` page icon). Screenshot: test-output/screenshots/no-outside-requests.png.
"""

from __future__ import annotations

import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_browser import (
    FINISHED,
    PAGE_TIMEOUT_MS,
    SCREENSHOTS,
    browser,
    chromium_path,
)
from tests.servers import running_dashboard
from tracker import models
from tracker.access import local_operator
from tracker.browser_sessions import COOKIE_NAME
from tracker.db import make_engine, write_session
from tracker.users import add_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path"]  # fixtures shared with test_browser.py

PASSWORD = "a long enough password"
# A few pages of each kind: the landing page, a timeline, the portfolio, the database page.
PAGES = ["", "timeline?institution=northdale-council", "portfolio", "database"]


@pytest.fixture(scope="module")
def signed_in_dashboard(
    chromium_path: Path, sample_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("outside-requests")
    database = folder / "sample.db"
    shutil.copyfile(sample_file, database)
    url = sqlite_url(database)
    engine = make_engine(url)
    add_user(engine, "root", role="admin", password=None, actor=local_operator())
    with write_session(engine) as session:  # a cheap hash: the login is not what is tested here
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
        for user in session.query(models.User):
            user.password_hash = cheap
    engine.dispose()
    with running_dashboard(url, folder) as base:
        yield base


def test_no_signed_in_page_makes_a_request_to_another_host(
    signed_in_dashboard: str, browser: Any
) -> None:
    base = signed_in_dashboard
    own = urllib.parse.urlsplit(base).netloc
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    elsewhere: list[str] = []

    def record(request: Any) -> None:
        address = urllib.parse.urlsplit(request.url)
        if address.scheme not in ("data", "blob") and address.netloc != own:
            elsewhere.append(request.url)

    page.on("request", record)
    try:
        page.goto(base, wait_until="domcontentloaded")
        page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
        page.get_by_role("textbox", name="Name").fill("root")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("button", name="Log in").wait_for(state="detached",
                                                            timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(f"document.cookie.includes('{COOKIE_NAME}=')",
                               timeout=PAGE_TIMEOUT_MS)  # the login outlives a reload
        for path in PAGES:
            page.goto(f"{base}/{path}", wait_until="domcontentloaded")
            page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(1500)  # icons, fonts and charts load after the script ends
            assert page.locator('[data-testid="stException"]').count() == 0, path
            assert page.get_by_role("button", name="Log in").count() == 0, f"signed out: {path}"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "no-outside-requests.png"))
        icon = page.locator("link[rel='shortcut icon']").get_attribute("href") or ""
    finally:
        context.close()
    assert elsewhere == [], f"requests to other hosts: {sorted(set(elsewhere))}"
    assert "gstatic" not in icon and icon, icon
