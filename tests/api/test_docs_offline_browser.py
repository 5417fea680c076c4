"""The API's docs page without internet, in a real headless Chromium (#24, 8): every request
that leaves the machine is refused, and /docs still shows the operations (Swagger UI served
from the package). Screenshot test-output/screenshots/api-docs-offline.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import serving
from tests.dashboard.test_browser import SCREENSHOTS, browser, chromium_path
from tracker.db import make_engine
from tracker.migrate import upgrade

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path"]


def test_the_docs_page_shows_the_operations_with_no_outside_request(
    browser: Any, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    upgrade(engine)
    outside: list[str] = []
    with serving(engine) as base:
        html = httpx.get(f"{base}/docs").text
        assert "cdn" not in html.lower() and "https://" not in html
        context = browser.new_context(viewport={"width": 1400, "height": 1600})

        def offline(route: Any) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", offline)
        page = context.new_page()
        try:
            page.goto(f"{base}/docs", wait_until="load")
            page.locator(".opblock").first.wait_for(timeout=30_000)
            assert page.locator(".opblock").count() >= 10
            assert page.get_by_text("tracker API").first.is_visible()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "api-docs-offline.png"))
        finally:
            context.close()
    engine.dispose()
    assert outside == []
