"""The portfolio page's Configurations section in a real headless Chromium, on the sample: the
funder sees the truth table with the institutions named, the solution in words and in notation,
and the caveat in contribution language; choosing another outcome answers that question.
Screenshot: test-output/screenshots/portfolio-configurations.png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.test_browser import (
    SCREENSHOTS,
    _load,
    browser,
    chromium_path,
    dashboard,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path", "dashboard"]  # fixtures shared with test_browser.py

SENTENCE = (
    "Across these 10 institutions, 'in the later phase' is consistently found with a costly "
    "reversal and a turnover and many structural changes"
)


def test_configurations_show_the_table_the_sentence_and_the_caveat(
    dashboard: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        _load(page, f"{dashboard}/portfolio")
        heading = page.get_by_role("heading", name="Configurations")
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
        sentence = page.get_by_text(SENTENCE)
        sentence.scroll_into_view_if_needed()
        assert sentence.is_visible()
        assert "Northdale Council, Wigan Council" in sentence.inner_text()
        assert page.get_by_text("costly_reversal*turnover*many_changes").is_visible()
        assert page.get_by_text("QCA shows set relations", exact=False).is_visible()
        table = page.locator('[data-testid="stDataFrame"]').last
        table.scroll_into_view_if_needed()
        assert table.is_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "portfolio-configurations.png"))

        page.locator('[data-testid="stSelectbox"]').filter(has_text="Outcome").click()
        page.get_by_role("option", name="every tested change persisted").click()
        answer = page.get_by_text("'every tested change persisted' is consistently found with")
        answer.wait_for(timeout=60_000)
        assert answer.is_visible()
        # The caveat naming the institutions left out (the outcome's help text, a hidden tooltip,
        # also says "left out": this is the sentence on the page).
        left_out = page.get_by_text("institution(s) are left out", exact=False)
        left_out.first.wait_for(state="visible", timeout=60_000)
        left_out.first.scroll_into_view_if_needed()
        assert left_out.first.is_visible()
    finally:
        context.close()
