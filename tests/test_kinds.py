"""`make check` leaves out the tests that need a database, a browser or a child process: what a
test needs is read from its imports (`tests/kinds.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.kinds import imported_names, needs_of

TESTS = Path(__file__).resolve().parent


def test_a_pure_analysis_test_needs_nothing() -> None:
    assert needs_of(imported_names(TESTS / "analysis" / "test_turnovers.py")) == set()


def test_the_database_fixtures_need_a_database() -> None:
    assert needs_of(imported_names(TESTS / "conftest.py")) == {"database"}


def test_servers_and_browsers_are_seen_through_any_import(tmp_path: Path) -> None:
    module = tmp_path / "test_page.py"
    module.write_text(
        "def test_page():\n"
        "    from playwright.sync_api import sync_playwright\n"
        "    from tests.servers import streamlit_server\n"
        "    import sqlalchemy.orm\n"
    )
    assert needs_of(imported_names(module)) == {"browser", "process", "database"}


def test_a_name_that_only_starts_like_a_module_is_not_it(tmp_path: Path) -> None:
    module = tmp_path / "test_names.py"
    module.write_text("import subprocessing\nfrom tracker.dbx import y\n")
    assert needs_of(imported_names(module)) == set()
