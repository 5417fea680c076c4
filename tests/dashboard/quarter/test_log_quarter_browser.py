"""An evaluator logs a whole quarter in a real headless Chromium, as a person would: a deep link
that survives login, a reload that keeps the session, then values (one implausible, which asks
for a note), a leadership change, a status record, evidence, the narrative and submit. After
each save: the tab stayed, the message is in the viewport, the form is empty, the checklist
moved. Then the locked quarter's inputs are disabled, and a phone-sized viewport shows no
horizontal overflow. One Streamlit server for the module, one journey.

The clicks and entries of the journey are counted and written to
test-output/log-quarter-journey.json (the figure in the issue's closing note).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FINISHED,
    OUTPUT,
    PAGE_TIMEOUT_MS,
    SCREENSHOTS,
)
from tests.servers import running_dashboard
from tracker.access import local_operator
from tracker.dashboard.quarter.quarter_page import DEFAULT_LOOKBACK
from tracker.db import make_engine
from tracker.periods import period_from_index, period_index
from tracker.users import add_user
from tracker.writes.quarter.state import current_period

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INSTITUTION = "wigan-council"
PASSWORD = "a long evaluator password"
# The sample's values of Wigan end in 2026Q2: the page opens on the next quarter to log.
LAST_SAMPLE_QUARTER = "2026Q2"


@pytest.fixture(scope="module")
def journey_server(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        if os.environ.get("TRACKER_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package")
    folder = tmp_path_factory.mktemp("journey")
    database = folder / "sample.db"
    shutil.copyfile(sample_file, database)
    engine = make_engine(sqlite_url(database))
    add_user(engine, "root", role="admin", password="a long admin password",
             actor=local_operator())
    add_user(engine, "eve", role="evaluator", password=PASSWORD, actor=local_operator(),
             institutions=[INSTITUTION])
    engine.dispose()
    secret = {"TRACKER_SESSION_SECRET": "journey-test-secret"}
    with running_dashboard(sqlite_url(database), folder, environment=secret) as base:
        yield base


class Person:
    """Drives the page as a person does, counting every click and every entry."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.clicks = 0
        self.entries = 0
        self.steps: list[str] = []

    def settle(self) -> None:
        self.page.wait_for_timeout(300)
        self.page.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)

    def click(self, locator: Any, what: str) -> None:
        self.clicks += 1
        self.steps.append(f"click {what}")
        locator.click()
        self.settle()

    def type(self, locator: Any, text: str, what: str) -> None:
        self.entries += 1
        self.steps.append(f"entry {what}")
        locator.fill(text)
        locator.press("Tab")
        self.settle()

    def date(self, label: str, digits: str) -> None:
        """Type a date into Streamlit's date field (year, month, day segments)."""
        self.entries += 1
        self.steps.append(f"entry {label}")
        group = self.page.get_by_role("group", name=label, exact=True).locator("visible=true")
        group.first.get_by_role("spinbutton").first.click()
        self.page.keyboard.type(digits)
        self.page.keyboard.press("Tab")
        self.settle()

    def choose(self, label: str, option: str) -> None:
        box = self.page.get_by_label(label, exact=True).locator("visible=true").first
        self.click(box, f"open {label}")
        self.click(self.page.get_by_role("option", name=option).first, f"pick {option}")

    def visible(self, role: str, name: str, **options: Any) -> Any:
        return self.page.get_by_role(role, name=name, **options).locator("visible=true").first


def _checklist(page: Any) -> str:
    return str(page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts())


def _after_save(person: Person, tab: str, message: str) -> None:
    """The tab stayed, the message is visible in the viewport, no exception."""
    from playwright.sync_api import expect

    page = person.page
    expect(page.get_by_role("tab", name=tab, exact=True).locator("visible=true")).to_have_attribute(
        "aria-selected", "true"
    )
    shown = page.get_by_text(message).locator("visible=true").first
    expect(shown).to_be_in_viewport()
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.all_inner_texts()


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"log-quarter-{name}.png"))


def test_an_evaluator_logs_a_whole_quarter_in_chromium(journey_server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    quarter = period_from_index(period_index(LAST_SAMPLE_QUARTER) + 1)
    assert period_index(quarter) <= period_index(current_period())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        person = Person(page)

        # a deep link survives login
        page.goto(f"{journey_server}/timeline?institution={INSTITUTION}")
        person.settle()
        person.type(page.get_by_label("Name", exact=True), "eve", "name")
        person.type(page.get_by_label("Password", exact=True).first, PASSWORD, "password")
        person.click(page.get_by_role("button", name="Log in"), "log in")
        expect(page.get_by_role("heading", name="Persistence timeline")).to_be_visible(
            timeout=PAGE_TIMEOUT_MS
        )
        assert "/timeline" in page.url and f"institution={INSTITUTION}" in page.url

        # a reload keeps the session (the page opens again, no login form); the page opens on
        # the quarter still to log (when it is among the last four; else the address names it)
        recent = period_index(current_period()) - period_index(quarter) < DEFAULT_LOOKBACK
        named = "" if recent else f"&period={quarter}"
        page.goto(f"{journey_server}/log-quarter?institution={INSTITUTION}{named}")
        person.settle()
        expect(page.get_by_role("heading", name="Log a quarter")).to_be_visible()
        page.reload()
        person.settle()
        assert page.get_by_role("button", name="Log in").count() == 0
        expect(page.get_by_role("heading", name="Log a quarter")).to_be_visible()
        expect(page.get_by_label("Quarter", exact=True)).to_have_value(f"{quarter} · open")
        _shot(page, "opened")

        # indicator values: one implausible jump asks for a note
        typed = {
            "Share of decisions with community input": "58.4",
            "Resident or parent trust score": "65.1",
            "Staff in reflective supervision or coaching": "83.9",
            "Staff morale score": "75.3",
            "Staff turnover rate": "56",
        }
        for name, value in typed.items():
            person.type(person.visible("spinbutton", f"{name}, {quarter}"), value, name)
        expect(page.get_by_text("is a jump of").first).to_be_visible()
        note = person.visible("textbox", "Note on Staff turnover rate (why the value is right)")
        person.type(note, "Restructuring: two services transferred out", "note")
        _shot(page, "values-typed")
        person.click(person.visible("button", "Save indicator values"), "save values")
        _after_save(person, "Indicator values", f"5 indicator values saved for {quarter}.")
        assert "Indicator values — ✔ done" in _checklist(page)
        _shot(page, "values-saved")

        # a leadership change
        person.click(person.visible("tab", "Leadership", exact=True), "tab Leadership")
        person.choose("Role", "Chief executive (now: Chief executive (second holder))")
        first_day = f"{quarter[:4]}{(int(quarter[-1]) - 1) * 3 + 2:02d}01"
        last_day = f"{quarter[:4]}{(int(quarter[-1]) - 1) * 3 + 1:02d}28"
        person.date("Outgoing holder's last day (empty if the role was vacant)", last_day)
        holder = "Incoming holder (a role description, e.g. 'Chief executive, third holder')"
        person.type(person.visible("textbox", holder), "Chief executive (third holder)", "holder")
        person.date("Incoming holder's first day", first_day)
        person.click(person.visible("button", "Save the leadership change"), "save leadership")
        _after_save(person, "Leadership", "Leadership change saved: Chief executive (third")
        expect(person.visible("textbox", holder)).to_have_value("")
        # The role picker names the new holder (#24, 11), not the one the change ended.
        expect(page.get_by_label("Role", exact=True).locator("visible=true").first).to_have_value(
            "Chief executive (now: Chief executive (third holder))")
        assert "Leadership confirmed — ✔ done" in _checklist(page)

        # a status record of a structural change
        person.click(person.visible("tab", "Structural change", exact=True), "tab Structural")
        person.type(person.visible("textbox", "Evidence", exact=True), "Q review minutes",
                    "status evidence")
        person.click(person.visible("button", "Save the status"), "save status")
        _after_save(person, "Structural change", "Status saved:")
        expect(person.visible("textbox", "Evidence", exact=True)).to_have_value("")

        # an evidence item (its key is made from the title)
        person.click(person.visible("tab", "Evidence", exact=True), "tab Evidence")
        person.type(person.visible("textbox", "Title", exact=True), "Peer review of the Deal",
                    "evidence title")
        person.click(person.visible("button", "Save the evidence"), "save evidence")
        _after_save(person, "Evidence", "Evidence saved: Peer review of the Deal.")
        expect(person.visible("textbox", "Title", exact=True)).to_have_value("")

        # the narrative: the attribution warning as you type, and the rewording applied
        person.click(person.visible("tab", "Narrative", exact=True), "tab Narrative")
        box = person.visible("textbox", "Narrative of the quarter")
        person.type(box, "The Deal caused staff morale to rise this quarter.", "narrative")
        expect(page.get_by_text("reads as attribution language").first).to_be_visible()
        person.click(person.visible("button", "Apply the rewording"), "apply rewording")
        expect(person.visible("textbox", "Narrative of the quarter")).not_to_have_value(
            "The Deal caused staff morale to rise this quarter."
        )
        person.click(person.visible("button", "Save the narrative"), "save narrative")
        _after_save(person, "Narrative", f"Narrative for {quarter} saved.")
        assert "The narrative — ✔ done" in _checklist(page)

        # submit with the summary: a reason for anything still missing, then the confirmation
        person.click(person.visible("tab", "Submit", exact=True), "tab Submit")
        expect(page.get_by_text(f"Submitting locks {quarter}").first).to_be_visible()
        for reason_box in page.get_by_role("textbox", name="Why is").locator(
            "visible=true"
        ).all():
            person.type(reason_box, "The window closed long ago; status checked in Q4",
                        "missing reason")
        person.click(page.get_by_text(f"I have checked the summary and want to submit {quarter}"),
                     "confirm")
        person.click(person.visible("button", f"Submit {quarter}"), "submit")
        _after_save(person, "Submit", f"{quarter} submitted and locked.")
        _shot(page, "submitted")

        # the locked quarter is read-only
        expect(page.get_by_text(f"{quarter} is locked (submitted by eve").first).to_be_visible()
        person.page.get_by_role("tab", name="Indicator values", exact=True).locator(
            "visible=true").first.click()
        person.settle()
        expect(person.visible("spinbutton", f"Staff morale score, {quarter}")).to_be_disabled()
        expect(person.visible("button", "Save indicator values")).to_be_disabled()
        _shot(page, "locked")
        after = {"clicks": person.clicks, "entries": person.entries,
                 "total": person.clicks + person.entries, "steps": person.steps}

        # a new tab at phone width: still logged in, and nothing overflows sideways
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
        )
        small = phone.new_page()
        for address in (f"log-quarter?institution={INSTITUTION}&period={quarter}",
                        f"timeline?institution={INSTITUTION}"):
            small.goto(f"{journey_server}/{address}")
            small.wait_for_timeout(300)
            small.wait_for_selector(FINISHED, timeout=PAGE_TIMEOUT_MS)
            small.wait_for_timeout(1500)  # charts draw after the script finishes
            assert small.get_by_role("button", name="Log in").count() == 0
            overflow = small.evaluate(
                "() => [...document.querySelectorAll('[data-testid=\"stMain\"] *')]"
                ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
                " && getComputedStyle(e).overflowX !== 'auto')"
                ".map(e => e.getAttribute('data-testid') || e.tagName).slice(0, 5)"
            )
            width = small.evaluate("() => document.documentElement.scrollWidth")
            small.screenshot(path=str(SCREENSHOTS / f"phone-{address.split('?')[0]}.png"),
                             full_page=True)
            assert width <= 390, (address, width, overflow)
        phone.close()
        context.close()
        browser.close()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "log-quarter-journey.json").write_text(json.dumps(after, indent=2) + "\n")
