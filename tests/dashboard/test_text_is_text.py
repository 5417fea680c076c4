"""Issue 16, text is text: Markdown images, links and HTML written into every writable text
column reach the pages as the characters typed. In Chromium, no request leaves for the address
they name, and no link or image to it is in any page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_browser import (
    CHROMIUM_ARGS,
    FINISHED,
    PAGE_TIMEOUT_MS,
    SCREENSHOTS,
    chromium_path,  # noqa: F401 - a fixture
)
from tests.servers import running_dashboard
from tests.workbook.builders import VALID, write_csv_folder
from tracker.access import local_operator
from tracker.dashboard.text import WORD_JOINER, as_shown, plain
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.imports.importer import import_workbook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRAP = "leak.example"
PAGES = ["", "timeline", "story", "log-quarter", "database"]


def payload(table: str, column: str, limit: int | None) -> str:
    """An image, a link, raw HTML and bare addresses, each naming the trap host."""
    where = f"{table}-{column}"
    full = (
        f"![i](http://{TRAP}/{where}.png) [a](http://{TRAP}/{where}) "
        f"<img src=http://{TRAP}/{where}-h.png> https://{TRAP}/{where}-auto www.{TRAP} "
        f"x@{TRAP}"
    )
    short = f"![i](http://{TRAP}/{where}.png)[a](http://{TRAP}/{where})"
    return full if limit is None or len(full) <= limit else short[:limit]


def hostile_tables() -> dict[str, str]:
    """The valid workbook with every free-text cell replaced by a payload."""
    tables = {}
    for name, content in VALID.items():
        table = TABLE_MAP[name]
        rows = list(csv.DictReader(io.StringIO(content)))
        for number, row in enumerate(rows):
            for column in table.columns:
                if column.type == "text" and column.name in row:
                    text = payload(name, column.name, column.max_length)
                    # identity columns stay distinct row by row
                    row[column.name] = text if number == 0 else f"{text} {number}"
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        tables[name] = buffer.getvalue()
    return tables


def test_plain_escapes_every_markdown_construct() -> None:
    text = "![i](http://x/y.png) [a](b) <b>x</b> https://x www.x a@b.c :red[x] $x$ *e*\n# h\n- l"
    escaped = plain(text)
    for neutral in ("\\!\\[i\\]", "\\[a\\]", "\\<b\\>", ":red\\[x\\]", "\\$x\\$", "\\*e\\*",
                    "  \n\\# h", "  \n\\- l"):
        assert neutral in escaped, neutral
    # a joiner inside each bare address (http://, https://, www., x@y), which no escape stops
    assert escaped.count(WORD_JOINER) == 4
    assert as_shown(escaped) == text


@pytest.fixture(scope="module")
def hostile_dashboard(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory  # noqa: F811
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    database = folder / "hostile.db"
    engine = make_engine(sqlite_url(database))
    upgrade(engine)
    import_workbook(
        engine, write_csv_folder(folder / "wb", hostile_tables()), actor=local_operator()
    )
    engine.dispose()
    with running_dashboard(sqlite_url(database), folder) as base:
        yield base


def test_injected_markdown_fetches_nothing_and_links_nowhere(
    hostile_dashboard: str, chromium_path: Path  # noqa: F811
) -> None:
    from playwright.sync_api import sync_playwright

    left: list[str] = []

    def only_the_dashboard(route: Any) -> None:
        url = route.request.url
        if url.startswith(hostile_dashboard) or url.startswith("ws://127.0.0.1"):
            route.continue_()
        else:
            left.append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1500, "height": 2600})
        context.route("**/*", only_the_dashboard)
        page = context.new_page()
        try:
            for path in PAGES:
                query = "" if path in ("", "database") else "?institution=northdale-council"
                page.goto(f"{hostile_dashboard}/{path}{query}", wait_until="domcontentloaded")
                page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
                # open every expander, so that what they hold is rendered too
                for summary in page.locator("details summary").all():
                    summary.click()
                page.wait_for_timeout(1500)
                assert page.locator('[data-testid="stException"]').count() == 0, path
                assert page.locator(f'a[href*="{TRAP}"]').count() == 0, path
                assert page.locator(f'img[src*="{TRAP}"]').count() == 0, path
                assert page.locator(f'[src*="{TRAP}"], [href*="{TRAP}"]').count() == 0, path
                if path == "timeline":  # the typed characters are on the page, as text
                    shown = page.locator("body").inner_text().replace(WORD_JOINER, "")
                    assert f"Cost: ![i](http://{TRAP}/decisions-cost_note.png)" in shown
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"hostile-{path or 'portfolio'}.png"))
        finally:
            context.close()
            browser.close()
    # Every request that tried to leave was stopped; none of them for what users wrote (the
    # others are Streamlit's own icons, from fonts.gstatic.com).
    assert [url for url in left if TRAP in url] == []
    assert all(url.startswith("https://fonts.gstatic.com/") for url in left), left
