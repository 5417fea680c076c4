"""Every page of the dashboard, run with Streamlit's AppTest on the sample, on an empty
database and on a database with no schema; and each page's key elements."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from tests.dashboard.conftest import DASHBOARD
from tests.dashboard.vega import dates_drawn, frames_of_proto, spec_of_proto
from tracker.analysis.stories import STEP_TITLES
from tracker.cli import app as cli
from tracker.config import PROJECT_ROOT, sample_data_path
from tracker.dashboard.navigation import PAGES, PageSpec, page_spec
from tracker.dashboard.page_data import SAMPLE_NOTICE
from tracker.dashboard.text import as_shown

PRESENT = [page for page in PAGES if page.path.is_file()]
# The first run of a page analyses the sample from scratch; the machine may be busy.
TIMEOUT = 180


def open_page(
    monkeypatch: pytest.MonkeyPatch, url: str, page: PageSpec, **query: str
) -> AppTest:
    """Run the dashboard on `url`, switch to `page` (with `query` in its address), run it."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(str(page.path.relative_to(PROJECT_ROOT))).run()
    return at


def infos(at: AppTest) -> str:
    return "\n".join(str(item.value) for item in at.info)


def analyse_json(url: str) -> dict[str, object]:
    """What `tracker analyse --format json` prints for this database."""
    outcome = CliRunner().invoke(cli, ["analyse", "--format", "json", "--db", url])
    assert outcome.exit_code == 0, outcome.output
    return dict(json.loads(outcome.stdout))


@pytest.mark.parametrize("page", PRESENT, ids=lambda page: page.url_path)
def test_every_page_runs_on_the_sample_with_its_notice(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, page: PageSpec
) -> None:
    at = open_page(monkeypatch, sample_url, page)
    assert not at.exception, [item.value for item in at.exception]
    assert SAMPLE_NOTICE in infos(at)
    assert at.title[0].value == page.title


@pytest.mark.parametrize("page", PRESENT, ids=lambda page: page.url_path)
def test_every_page_on_an_empty_database_says_what_to_do_next(
    monkeypatch: pytest.MonkeyPatch, empty_url: str, page: PageSpec
) -> None:
    at = open_page(monkeypatch, empty_url, page)
    assert not at.exception, [item.value for item in at.exception]
    assert not at.error
    assert "What to do next" in infos(at)
    assert "tracker sample load" in infos(at)
    # first steps in the browser: the first administrator, an upload, the sample
    labels = [button.label for button in at.button]
    assert "Create the administrator and log in" in labels
    assert "Load the illustrative sample data" in labels
    assert any(upload.proto.label.startswith("A workbook") for upload in at.get("file_uploader"))


@pytest.mark.parametrize("page", PRESENT, ids=lambda page: page.url_path)
def test_every_page_on_a_database_without_schema_says_how_to_create_it(
    monkeypatch: pytest.MonkeyPatch, unmigrated_url: str, page: PageSpec
) -> None:
    at = open_page(monkeypatch, unmigrated_url, page)
    assert not at.exception, [item.value for item in at.exception]
    assert "has no tracker schema yet" in infos(at)
    assert "tracker db upgrade" in infos(at)


def test_the_sidebar_says_the_dashboard_runs_as_local_administrator(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("portfolio"))
    assert any("running as local administrator" in c.value.lower() for c in at.sidebar.caption)


def _timeline_rules(at: AppTest) -> list[set[dt.date]]:
    # One full-width chart per panel, all on one time axis; each panel has its rule layer.
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3
    drawn = []
    for chart in charts:
        proto = chart.proto
        rules = dates_drawn(spec_of_proto(proto), frames_of_proto(proto), "rule", "date")
        assert len(rules) == 1, "every panel carries the turnover rules once"
        drawn.extend(rules)
    return drawn


@pytest.mark.parametrize("institution", ["northdale-council", "wigan-council"])
def test_timeline_chart_carries_a_rule_at_each_turnover_of_the_chosen_institution(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, institution: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("timeline"), institution=institution)
    assert not at.exception
    assert at.selectbox[0].value == institution
    analysed = analyse_json(sample_url)["institutions"]
    mine = next(item for item in analysed if item["institution"] == institution)  # type: ignore[union-attr]
    turnovers = {dt.date.fromisoformat(item["date"]) for item in mine["turnovers"]}
    assert turnovers, "the sample's institution should have turnovers"
    rules = _timeline_rules(at)
    assert rules and all(drawn == turnovers for drawn in rules)


def test_timeline_shows_each_change_with_its_verdict_in_words(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("timeline"), institution="northdale-council")
    analysed = analyse_json(sample_url)["institutions"]
    mine = next(i for i in analysed if i["institution"] == "northdale-council")  # type: ignore[union-attr]
    labels = [as_shown(expander.label) for expander in at.expander]
    for change in mine["changes"]:
        words = change["summary"].replace("_", " ")
        assert any(words in label and change["title"] in label for label in labels), labels


def test_timeline_states_each_indicators_rule_once_beside_its_tests(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("timeline"), institution="northdale-council")
    analysed = analyse_json(sample_url)["institutions"]
    mine = next(i for i in analysed if i["institution"] == "northdale-council")  # type: ignore[union-attr]
    tested = [indicator for indicator in mine["indicators"] if indicator["tests"]]
    assert tested
    # The rule once per indicator, as a caption under its name; each row its own reason.
    rules = [as_shown(c.value) for c in at.caption if "A turnover's test compares" in c.value]
    assert rules == [indicator["rule"] for indicator in tested]
    tables = [frame.value for frame in at.dataframe if "n pre / post" in frame.value.columns]
    assert len(tables) == len(tested)
    for indicator, table in zip(tested, tables, strict=True):
        assert list(table["reason"]) == [test["reason"] for test in indicator["tests"]]
        quarters = {t["date"]: t["indicator_quarters"] for t in mine["turnovers"]}
        assert list(table["quarters compared"]) == [
            quarters[test["turnover"]["date"]] for test in indicator["tests"]
        ]


def _drill_down(at: AppTest) -> pd.DataFrame:
    tables = [frame.value for frame in at.dataframe]
    return next(table for table in tables if "costly reversal" in table.columns)


def test_portfolio_counts_equal_those_of_tracker_analyse(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("portfolio"))
    assert not at.exception
    analysed = analyse_json(sample_url)["institutions"]
    assert isinstance(analysed, list)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert int(metrics["Institutions"]) == len(analysed)
    changes = [change for item in analysed for change in item["changes"]]
    assert int(metrics["Structural changes"]) == len(changes)
    tested = sum(1 for change in changes if change["tests"])
    assert metrics["Tested by a turnover"].startswith(f"{tested} (")
    table = _drill_down(at)
    phases = {item["institution"]: item["phase"] for item in analysed}
    shown = dict(zip(table["institution"], table["phase"].str.split().str[-1], strict=True))
    assert shown == phases
    tests_by_verdict = pd.Series(
        [test["verdict"] for change in changes for test in change["tests"]]
    ).value_counts()
    persisted = sum(1 for change in changes if change["summary"] == "persisted")
    assert int(table["persisted"].sum()) == persisted
    assert tests_by_verdict.sum() == sum(len(change["tests"]) for change in changes)


def test_portfolio_offers_xlsx_and_report_downloads(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("portfolio"))
    labels = [button.label for button in at.get("download_button")]
    assert labels == [
        "Portfolio summary (.xlsx)",
        "Word (.docx)",
        "PDF (.pdf)",
        "HTML (.html)",
        "Markdown (.md)",
    ]


def test_portfolio_chooser_narrows_to_one_portfolio(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("portfolio"), portfolio="place-based-culture")
    assert not at.exception
    members = pd.read_csv(sample_data_path() / "portfolios.csv")
    wanted = set(members.loc[members["portfolio"] == "place-based-culture", "institution"])
    assert wanted and len(wanted) < len(members["institution"].unique())
    assert set(_drill_down(at)["institution"]) == wanted


def test_choosing_a_row_of_the_portfolio_links_to_its_timeline_and_story(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("portfolio"))
    table = _drill_down(at)
    row = list(table["institution"]).index("wigan-council")
    at.session_state["portfolio_drill_down"] = {
        "selection": {"rows": [row], "columns": [], "cells": []}
    }
    at.run()
    links = {(link.proto.label, link.proto.page) for link in at.main.get("page_link")}
    assert links == {
        ("Timeline of Wigan Council", "timeline"),
        ("Contribution story of Wigan Council", "story"),
    }


def test_story_page_is_a_view_diagram_first_six_steps_and_every_format_to_download(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("story"), institution="wigan-council")
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["Phase", "Costly reversal (diagnostic)"]
    diagrams = at.get("graphviz_chart")
    assert len(diagrams) == 1
    assert "->" in diagrams[0].proto.spec
    headings = [h.value for h in at.subheader]
    positions = [headings.index(title) for title in STEP_TITLES]
    assert positions == sorted(positions)
    labels = [button.label for button in at.get("download_button")]
    assert labels == ["Word (.docx)", "PDF (.pdf)", "HTML (.html)", "Markdown (.md)"]
    assert not [m.value for m in at.markdown if "None recorded" in m.value]


def test_database_page_lists_the_import_of_the_sample_in_the_audit_log(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("database"))
    entries = next(frame.value for frame in at.dataframe if "action" in frame.value.columns)
    assert "import" in set(entries["action"])


def test_loading_the_sample_from_an_empty_database_refreshes_every_page(
    monkeypatch: pytest.MonkeyPatch, empty_url: str
) -> None:
    at = open_page(monkeypatch, empty_url, page_spec("portfolio"))
    at = at.button(key="load_sample").click().run()
    assert not at.exception
    assert SAMPLE_NOTICE in infos(at)
    assert "The illustrative sample is loaded" in "\n".join(s.value for s in at.success)
    assert any(metric.label == "Institutions" for metric in at.metric)


def test_a_write_after_a_page_was_read_is_shown_on_the_next_run(
    monkeypatch: pytest.MonkeyPatch, writable_sample_url: str, tmp_path: Path
) -> None:
    at = open_page(monkeypatch, writable_sample_url, page_spec("portfolio"))
    before = {metric.label: metric.value for metric in at.metric}["Institutions"]
    workbook = tmp_path / "more"
    workbook.mkdir()
    (workbook / "institutions.csv").write_text(
        "key,name,kind\nnew-council,New Council,local_authority\n", encoding="utf-8"
    )
    outcome = CliRunner().invoke(cli, ["import", str(workbook), "--db", writable_sample_url])
    assert outcome.exit_code == 0, outcome.output
    at.run()
    after = {metric.label: metric.value for metric in at.metric}["Institutions"]
    assert int(after) == int(before) + 1


def test_portfolio_xlsx_holds_every_part_of_the_summary(sample_url: str) -> None:
    from openpyxl import load_workbook

    from tracker.analysis.portfolio import portfolio_summary
    from tracker.analysis.run import analyse
    from tracker.dashboard.portfolio.xlsx_export import SHEETS, portfolio_xlsx
    from tracker.db import make_engine, read_session
    from tracker.queries import load_dataset

    engine = make_engine(sample_url)
    with read_session(engine) as session:
        dataset = load_dataset(session)
    engine.dispose()
    summary = portfolio_summary(dataset, analyse(dataset))
    book = load_workbook(io.BytesIO(portfolio_xlsx(summary)))
    assert tuple(book.sheetnames) == SHEETS
    assert book["institutions"].max_row == summary.n_institutions + 1
    items = [row[0].value for row in book["summary"].iter_rows(min_row=2)]
    assert items.count("caveat") == len(summary.caveats)


def test_an_as_of_date_chosen_in_the_sidebar_reanalyses_as_of_then(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    at = open_page(monkeypatch, sample_url, page_spec("timeline"), institution="wigan-council")
    assert any(drawn for drawn in _timeline_rules(at))  # Wigan's turnovers are 2018 and later
    at.sidebar.date_input[0].set_value(dt.date(2017, 12, 31)).run()
    assert not at.exception
    assert all(drawn == set() for drawn in _timeline_rules(at))
    assert any("as of 2017-12-31" in caption.value for caption in at.caption)


def test_the_due_board_and_the_audit_log_show_no_word_none(
    monkeypatch: pytest.MonkeyPatch, writable_sample_url: str
) -> None:
    """#24, 11: an empty cell is empty, not "None" (days late of a quarter not late, an audit
    entry without a reason)."""
    from tracker.dashboard.loaders import cached_audit

    audit = cached_audit(writable_sample_url, 0, 50)
    assert len(audit) and not (audit.astype(str) == "None").any().any()
    at = open_page(monkeypatch, writable_sample_url, page_spec("due"))
    assert not at.exception
    for frame in at.dataframe:
        assert not (frame.value.astype(str) == "None").any().any()
