"""Accounts made with the keyboard, in a real headless Chromium (#24, 1): a person types the
password, presses Tab, types it again, presses Tab and clicks the button. The account must get
its password (the person can then log in with it), on the first-administrator form of an empty
database and on Users and portfolios › Users. Screenshots under
test-output/screenshots/keyboard-*.png."""

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
from tracker import models
from tracker.access import local_operator
from tracker.db import make_engine, read_session
from tracker.migrate import upgrade
from tracker.users import add_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path"]  # fixtures shared with test_browser.py

PASSWORD = "thirteen char"  # 13 characters: more than the 8 the form asks for


def _settled(page: Any) -> None:
    page.wait_for_timeout(400)
    page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"keyboard-{name}.png"), full_page=True)


def _type_then_tab(page: Any, label: str, text: str) -> None:
    """Click into a field, type as a person does (key by key), then press Tab: no pause for
    the page to catch up between fields."""
    page.get_by_label(label, exact=True).click()
    page.keyboard.type(text, delay=15)
    page.keyboard.press("Tab")


def _password_hash(url: str, name: str) -> str | None:
    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            user = session.query(models.User).filter_by(name=name).one()
            return user.password_hash
    finally:
        engine.dispose()


def _can_log_in(browser: Any, base: str, name: str) -> bool:
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    try:
        return _logged_in(context.new_page(), base, name) is not None
    finally:
        context.close()


def _logged_in(page: Any, base: str, name: str, address: str = "") -> Any | None:
    """The page after logging in as `name` with the password, or None when refused."""
    page.goto(f"{base}/{address}", wait_until="domcontentloaded")
    _settled(page)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    try:
        page.get_by_text(f"Signed in as {name}").wait_for(timeout=60_000)
    except Exception:
        _shot(page, f"login-{name}-failed")
        return None
    _settled(page)
    return page


@pytest.fixture(scope="module")
def empty_dashboard(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("keyboard-empty")
    url = sqlite_url(folder / "empty.db")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    with running_dashboard(url, folder) as base:
        yield base, url


@pytest.fixture(scope="module")
def sample_dashboard(
    chromium_path: Path, sample_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("keyboard-sample")
    database = folder / "sample.db"
    shutil.copyfile(sample_file, database)
    url = sqlite_url(database)
    engine = make_engine(url)
    add_user(engine, "ann", role="admin", password=PASSWORD, actor=local_operator())
    engine.dispose()
    with running_dashboard(url, folder) as base:
        yield base, url


def test_the_first_administrator_typed_with_tab_gets_the_password(
    empty_dashboard: tuple[str, str], browser: Any
) -> None:
    base, url = empty_dashboard
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    try:
        page.goto(base, wait_until="domcontentloaded")
        _settled(page)
        _type_then_tab(page, "Your login name", "ann")
        _type_then_tab(page, "A password (at least the length the form asks for)", PASSWORD)
        _type_then_tab(page, "The password again", PASSWORD)
        page.get_by_role("button", name="Create the administrator and log in").click()
        _settled(page)
        _shot(page, "first-administrator")
        assert page.get_by_text("at least 8 characters").count() == 0
        page.get_by_text("Signed in as ann").wait_for()
    finally:
        context.close()
    assert _password_hash(url, "ann")
    assert _can_log_in(browser, base, "ann")


def test_a_user_added_with_tab_on_the_users_tab_gets_the_password(
    sample_dashboard: tuple[str, str], browser: Any
) -> None:
    base, url = sample_dashboard
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    try:
        assert _logged_in(page, base, "ann", "admin") is not None
        page.get_by_role("tab", name="Users").click()
        _type_then_tab(page, "Name (an e-mail address for OpenID Connect logins)", "evan")
        page.locator('[data-testid="stMultiSelect"]').filter(
            has_text="Institutions (evaluator"
        ).click()
        page.get_by_role("option", name="Northdale Council").click()
        page.keyboard.press("Escape")
        _type_then_tab(page, "Password (empty: OpenID Connect login only)", PASSWORD)
        _type_then_tab(page, "The password again", PASSWORD)
        page.get_by_role("button", name="Add the user").click()
        try:
            page.get_by_text("User evan added").wait_for(timeout=60_000)
        finally:
            _shot(page, "users-tab")
    finally:
        context.close()
    assert _password_hash(url, "evan")
    assert _can_log_in(browser, base, "evan")
