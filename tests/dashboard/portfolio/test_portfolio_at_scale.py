"""The Portfolio page of a portfolio too large to show at once: the institutions at risk come
a page at a time (each with its reasons in full), the targets table has a row per institution
with its quarters' badge, and after one institution's quarter is written the page shows the
new figures without analysing the others again."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import sqlite_url
from tests.dashboard.test_pages import open_page
from tracker.access import local_operator
from tracker.dashboard.navigation import page_spec
from tracker.dashboard.portfolio.portfolio_view import AT_RISK_PAGE, AT_RISK_PAGE_KEY
from tracker.db import make_engine, read_session
from tracker.generate import write_sample
from tracker.migrate import upgrade
from tracker.queries import read_table
from tracker.store.portfolio import stored_portfolio
from tracker.writes.imports.importer import import_workbook


@pytest.fixture(scope="module")
def large_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated portfolio of 180 institutions over 3 years, imported once."""
    folder = tmp_path_factory.mktemp("large")
    write_sample(folder / "workbook", institutions=180, years=3, seed=17)
    url = sqlite_url(folder / "large.db")
    engine = make_engine(url)
    upgrade(engine)
    import_workbook(engine, folder / "workbook", actor=local_operator())
    engine.dispose()
    return url


def _cards(at: AppTest) -> list[str]:
    """The institution keys of the at-risk cards shown, in order."""
    return [
        str(item.value).split("** (", 1)[1].split(")", 1)[0]
        for item in at.markdown
        if str(item.value).startswith("**") and " · roles: " in str(item.value)
    ]


def test_the_institutions_at_risk_come_a_page_at_a_time(
    monkeypatch: pytest.MonkeyPatch, large_url: str
) -> None:
    at_risk = stored_portfolio(make_engine(large_url), local_operator()).at_risk
    assert len(at_risk) > AT_RISK_PAGE  # the generated portfolio needs more than one page
    at = open_page(monkeypatch, large_url, page_spec("portfolio"))
    assert not at.exception, [item.value for item in at.exception]
    first = _cards(at)
    assert first == list(at_risk["institution"][:AT_RISK_PAGE])
    captions = " ".join(str(item.value) for item in at.caption)
    assert f"Institutions 1 to {AT_RISK_PAGE} of {len(at_risk)} at risk" in captions
    at.number_input(key=AT_RISK_PAGE_KEY).set_value(2).run()
    second = _cards(at)
    assert second == list(at_risk["institution"][AT_RISK_PAGE : 2 * AT_RISK_PAGE])
    # Reasons stay whole on every page: the last one of each card is the succession plan's.
    reasons = [str(item.value) for item in at.markdown if str(item.value).startswith("- ")]
    assert any("succession plan" in reason for reason in reasons)


def test_the_targets_table_has_a_row_and_a_badge_per_institution(
    monkeypatch: pytest.MonkeyPatch, large_url: str
) -> None:
    at = open_page(monkeypatch, large_url, page_spec("portfolio"))
    table = next(
        frame.value for frame in at.dataframe if "quarters" in frame.value.columns
    )
    assert len(table) == 180
    assert set(table["quarters"]) <= {
        "⚠ overdue", "↩ returned", "◷ awaiting review", "◔ due", "✔ up to date"
    }
    assert int(table["✔ met"].sum() + table["✘ not met"].sum()) > 0


def test_after_a_write_the_page_shows_what_a_fresh_summary_says(
    monkeypatch: pytest.MonkeyPatch, large_url: str, tmp_path: Path
) -> None:
    import csv
    import shutil

    from tracker.dashboard.portfolio.portfolio_view import drill_down_frame
    from tracker.store import refresh_results

    copy = tmp_path / "copy.db"
    shutil.copyfile(large_url.removeprefix("sqlite:///"), copy)
    url = sqlite_url(copy)
    engine = make_engine(url)
    at = open_page(monkeypatch, url, page_spec("portfolio"))
    before = stored_portfolio(engine, local_operator())
    # One institution's change is reversed (a new status record).
    changes = before.institutions[before.institutions["changes"] > 0]
    institution = str(changes["institution"].iloc[0])
    with read_session(engine) as session:
        own = read_table(session, "changes", institutions=[institution])
    folder = tmp_path / "write"
    folder.mkdir()
    with (folder / "change_status.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["change", "date", "status", "notes"])
        writer.writerow([own["key"].iloc[0], "2026-11-30", "reversed", "reversed in a test"])
    import_workbook(engine, folder, actor=local_operator())
    at.run()
    assert not at.exception, [item.value for item in at.exception]
    shown = next(frame.value for frame in at.dataframe if "costly reversal" in frame.value.columns)
    after = stored_portfolio(engine, local_operator())
    assert refresh_results(engine).computed == 0  # the page's read refreshed what was stale
    expected = drill_down_frame(after)
    assert list(shown["institution"]) == list(expected["institution"])
    assert list(shown["phase"]) == list(expected["phase"])
    assert list(shown["untested"]) == list(expected["untested"])
    metrics = {metric.label: metric.value for metric in at.metric}
    assert int(metrics["Structural changes"]) == after.n_changes
    # The reversal is an event of the survival of changes: the summary did move.
    assert sum(g.events for g in after.survival.groups) == (
        sum(g.events for g in before.survival.groups) + 1
    )
