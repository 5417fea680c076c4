"""Targets on the timeline, story and portfolio pages, with symbol and word; staleness badges
and target counts on the portfolio (AppTest on the sample)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.dashboard.test_pages import open_page
from tracker.dashboard.navigation import page_spec


def _table_with(at: object, *columns: str) -> pd.DataFrame:
    tables = [frame.value for frame in at.dataframe]  # type: ignore[attr-defined]
    return next(table for table in tables if set(columns) <= set(table.columns))


@pytest.mark.parametrize("page", ["timeline", "story"])
def test_the_institution_pages_show_its_targets_with_symbol_and_word(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, page: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec(page), institution="northdale-council")
    assert not at.exception, [item.value for item in at.exception]
    targets = _table_with(at, "verdict", "target", "comment")
    assert "✔ met" in set(targets["verdict"])
    assert any("Hiring criteria" in text for text in targets["target"])


def test_the_portfolio_shows_targets_and_how_up_to_date_each_institution_is(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("portfolio"))
    assert not at.exception, [item.value for item in at.exception]
    table = _table_with(at, "quarters").set_index("institution")
    # The sample has no submitted quarters: every institution's last quarters are overdue.
    assert table.loc["northdale-council", "quarters"] == "⚠ overdue"
    assert table.loc["eastmoor-police", "✘ not met"] == 2


def test_a_funders_portfolio_says_which_quarters_it_uses(
    monkeypatch: pytest.MonkeyPatch, writable_sample_url: str
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.conftest import DASHBOARD
    from tracker.access import local_operator
    from tracker.config import PROJECT_ROOT
    from tracker.dashboard.auth import SIGNED_IN
    from tracker.db import make_engine
    from tracker.users import add_user

    engine = make_engine(writable_sample_url)
    portfolio = pd.read_csv(
        PROJECT_ROOT / "sample_data" / "portfolios.csv")["portfolio"].iloc[0]
    add_user(engine, "fay", role="funder", password=None, actor=local_operator(),
             portfolios=[portfolio])
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", writable_sample_url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=180)
    at.session_state[SIGNED_IN] = "fay"
    at.run()
    at.switch_page(str(page_spec("portfolio").path.relative_to(PROJECT_ROOT))).run()
    assert not at.exception, [item.value for item in at.exception]
    captions = " ".join(str(c.value) for c in at.caption)
    assert "Quarters used: 0 approved (none)." in captions
    assert "with values not yet approved were left out" in captions
