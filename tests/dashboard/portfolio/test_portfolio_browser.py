"""A large portfolio in a real headless Chromium: the institutions at risk come a page at a
time, the page control and its caption are on screen, and turning the page shows the next
institutions, each with its reasons in full. Screenshot: test-output/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_browser import SCREENSHOTS, _load, browser, chromium_path
from tests.servers import running_dashboard
from tracker.access import local_operator
from tracker.dashboard.portfolio.portfolio_view import AT_RISK_PAGE
from tracker.db import make_engine
from tracker.generate import write_sample
from tracker.migrate import upgrade
from tracker.store.portfolio import stored_portfolio
from tracker.writes.imports.importer import import_workbook

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path"]  # fixtures shared with test_browser.py


@pytest.fixture(scope="module")
def large(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[str, int]
]:
    """The dashboard on a generated portfolio of 180 institutions; its URL and how many are
    at risk."""
    folder = tmp_path_factory.mktemp("large-browser")
    write_sample(folder / "workbook", institutions=180, years=3, seed=17)
    url = sqlite_url(folder / "large.db")
    engine = make_engine(url)
    upgrade(engine)
    import_workbook(engine, folder / "workbook", actor=local_operator())
    at_risk = len(stored_portfolio(engine, local_operator()).at_risk)
    engine.dispose()
    with running_dashboard(url, folder) as base:
        yield base, at_risk


def test_the_institutions_at_risk_page_through_on_screen(
    large: tuple[str, int], browser: Any
) -> None:
    base, at_risk = large
    assert at_risk > AT_RISK_PAGE
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        _load(page, f"{base}/portfolio")
        pager = page.get_by_label("Page of the institutions at risk", exact=False)
        pager.scroll_into_view_if_needed()
        assert pager.is_visible()
        first = page.get_by_text(f"Institutions 1 to {AT_RISK_PAGE} of {at_risk} at risk")
        assert first.is_visible()
        pager.fill("2")
        pager.press("Enter")
        second = page.get_by_text(
            f"Institutions {AT_RISK_PAGE + 1} to {min(2 * AT_RISK_PAGE, at_risk)} of "
            f"{at_risk} at risk"
        )
        second.wait_for(timeout=60_000)
        second.scroll_into_view_if_needed()
        assert second.is_visible()
        box = second.bounding_box()
        assert box is not None and 0 <= box["y"] <= 900 - box["height"]  # in the viewport
        assert page.locator('[data-testid="stException"]').count() == 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "portfolio-at-risk-page-2.png"))
    finally:
        context.close()
