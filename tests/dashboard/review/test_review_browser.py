"""The review cycle in a real headless Chromium: a reviewer returns a quarter with a comment; the
evaluator sees the comment on Log a quarter, fixes the value and submits again; the reviewer
approves. Screenshots of each step under test-output/screenshots/review-*.png."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
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
from tracker.db import make_engine, read_session, write_session
from tracker.users import actor_for, add_user
from tracker.writes.imports.rows import write_rows
from tracker.writes.quarter import review
from tracker.writes.quarter.state import quarter_state

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "chromium_path"]  # fixtures shared with test_browser.py

INSTITUTION, PERIOD = "northdale-council", "2026Q3"
PASSWORD = "a long enough password"
COMMENT = "Trust 6.2 looks like a typo for 62"
NARRATIVE = "The Wigan Deal caused the rise in resident trust."


@pytest.fixture(scope="module")
def review_dashboard(
    chromium_path: Path, sample_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """The sample with an evaluator and a reviewer of Northdale, and Northdale's 2026Q3
    submitted with a mistyped value; the dashboard on it. Yields (base URL, database URL)."""
    folder = tmp_path_factory.mktemp("review-browser")
    database = folder / "sample.db"
    shutil.copyfile(sample_file, database)
    url = sqlite_url(database)
    engine = make_engine(url)
    admin = local_operator()
    for name, role in (("eve", "evaluator"), ("rita", "reviewer")):
        add_user(engine, name, role=role, password=None, actor=admin, institutions=[INSTITUTION])
    with write_session(engine) as session:  # a cheap hash: the login is not what is tested here
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
        for user in session.query(models.User):
            user.password_hash = cheap
    eve = actor_for(engine, "eve")
    typo = pd.DataFrame([{"institution": INSTITUTION, "indicator": "community_trust",
                          "period": PERIOD, "value": 6.2}])
    narrative = pd.DataFrame([{"institution": INSTITUTION, "period": PERIOD,
                               "narrative": NARRATIVE}])
    write_rows(engine, {"indicator_values": typo, "observations": narrative}, actor=eve)
    review.submit(engine, institution=INSTITUTION, period=PERIOD, actor=eve)
    engine.dispose()
    with running_dashboard(url, folder) as base:
        yield base, url


def _settled(page: Any) -> None:
    page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0


def _log_in(browser: Any, base: str, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    page.goto(base, wait_until="domcontentloaded")
    _settled(page)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_timeout(500)
    _settled(page)
    return page


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"review-{name}.png"), full_page=True)


def _state(url: str) -> str:
    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            return quarter_state(session, institution=INSTITUTION, period=PERIOD).state
    finally:
        engine.dispose()


def _type(page: Any, label: str, text: str) -> None:
    """Type into a field and leave it, as a person does (Streamlit takes the value on blur)."""
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Tab")
    page.wait_for_timeout(300)
    _settled(page)


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_timeout(500)
    _settled(page)


def test_a_reviewer_returns_the_evaluator_fixes_and_resubmits_the_reviewer_approves(
    review_dashboard: tuple[str, str], browser: Any
) -> None:
    base, url = review_dashboard
    rita = _log_in(browser, base, "rita")  # a reviewer lands on Review quarters
    rita.get_by_role("heading", name="Review quarters").wait_for()
    rita.get_by_role("heading", name=f"{INSTITUTION} {PERIOD}").wait_for()
    # What she is asked to approve, with its warnings beside it (#24, 2).
    rita.get_by_text(f"What you approve: {INSTITUTION} {PERIOD}").wait_for()
    values = rita.locator('[data-testid="stTable"]').first
    trust = values.locator("tr", has_text="Resident or parent trust score")
    assert "6.2" in trust.inner_text() and "2026Q2" in trust.inner_text()
    rita.get_by_text(NARRATIVE).first.wait_for()
    rita.get_by_text('"caused" reads as attribution language').first.wait_for()
    assert rita.get_by_text("warning(s) to read before approving").count() == 1
    approve = rita.get_by_role("button", name=f"Approve {PERIOD}")
    assert approve.is_disabled()  # no approval before ticking that it was read
    _shot(rita, "0-what-is-approved")
    rita.get_by_label("What needs correcting (the evaluator sees this)").fill(COMMENT)
    _click(rita, f"Return {PERIOD} for corrections")
    rita.get_by_text(f"{INSTITUTION} {PERIOD} returned to the evaluator.").wait_for()
    _shot(rita, "1-returned")
    assert _state(url) == "returned"

    eve = _log_in(browser, base, "eve")  # an evaluator lands on Log a quarter
    eve.get_by_role("heading", name="Log a quarter").wait_for()
    # She lands on the returned quarter, told so above everything (#24, 3): no need to find it.
    banner = eve.locator('[data-testid="stAlert"]').filter(
        has_text="1 quarter(s) returned for corrections"
    )
    banner.wait_for()
    assert f"Northdale Council {PERIOD}" in banner.inner_text()
    assert "by rita" in banner.inner_text() and COMMENT in banner.inner_text()
    picker = eve.get_by_label("Quarter", exact=True)
    assert picker.input_value() == f"{PERIOD} · returned for corrections"
    picker.click()  # each quarter says its state
    assert eve.get_by_role("option", name=f"{PERIOD} · returned for corrections").count() == 1
    assert eve.get_by_role("option", name=re.compile(r"^\d{4}Q\d · open, ends ")).count() == 1
    _shot(eve, "2a-picker-states")
    eve.keyboard.press("Escape")
    try:
        eve.get_by_text(COMMENT).first.wait_for()  # the reviewer's comment, where she works
    except Exception:
        _shot(eve, "failed")
        raise
    _shot(eve, "2-evaluator-sees-comment")
    _type(eve, f"Resident or parent trust score, {PERIOD}", "62")
    _type(eve, "Reason for changing a stored value (the old value is kept in history)",
          "typo: 6.2 for 62")
    _click(eve, "Save indicator values")
    eve.get_by_text(f"1 indicator value saved for {PERIOD}.").wait_for()
    eve.get_by_role("tab", name="Submit").click()
    eve.wait_for_timeout(500)
    _settled(eve)
    reasons = eve.get_by_label(re.compile("^Why is"))
    for index in range(reasons.count()):
        reasons.nth(index).fill("Not part of this correction")
        reasons.nth(index).press("Tab")
        eve.wait_for_timeout(300)
        _settled(eve)
    eve.get_by_text(f"I have checked the summary and want to submit {PERIOD}").click()
    eve.wait_for_timeout(300)
    _settled(eve)
    _click(eve, f"Submit {PERIOD}")
    eve.get_by_text(f"{PERIOD} submitted and locked.").wait_for()
    _shot(eve, "3-resubmitted")
    assert _state(url) == "submitted"

    # Back to her queue in the same browser session (a reload would be a new session).
    rita.get_by_role("link", name="Review quarters").click()
    rita.wait_for_timeout(500)
    _settled(rita)
    rita.get_by_role("heading", name=f"{INSTITUTION} {PERIOD}").wait_for()
    rita.get_by_text(COMMENT).first.wait_for()  # the thread keeps the return comment
    rita.get_by_text(
        f"I have read the values, narrative, evidence and warnings of {PERIOD}"
    ).click()
    rita.wait_for_timeout(300)
    _settled(rita)
    _click(rita, f"Approve {PERIOD}")
    rita.get_by_text(f"{INSTITUTION} {PERIOD} approved.").wait_for()
    _shot(rita, "4-approved")
    assert _state(url) == "approved"
    for page in (rita, eve):
        page.context.close()
