"""The portfolio summary a funder reads: counts, share tested, at risk, survival, drill-down."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.builders import Scenario, combine
from tracker.analysis.params import Parameters
from tracker.analysis.persistence import UNTESTED_SENTENCE
from tracker.analysis.portfolio import DRILL_DOWN_COLUMNS, PortfolioSummary, portfolio_summary
from tracker.analysis.results import AnalysisResult
from tracker.analysis.run import analyse
from tracker.analysis.survival import NOT_TESTED, TESTED
from tracker.dataset import Dataset


def summary_of(
    *scenarios: Scenario, portfolio: str | None = None, **params: Any
) -> PortfolioSummary:
    dataset = combine(*scenarios)
    return portfolio_summary(dataset, analyse(dataset, Parameters(**params)), portfolio=portfolio)


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """A (word, count) frame as a mapping."""
    return {str(word): int(n) for word, n in frame.itertuples(index=False)}


def later_council() -> Scenario:
    """Hiring criteria that persisted through a chief executive turnover, and a costly reversal."""
    return (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2014-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .change("c-hiring", adopted="2016-01-01")
        .status("c-hiring", "2019-06-01", "in_force")
        .costly_reversal("d1", "2019-05-01")
        .diagnostics("2019-01-01", succession_plan=True)
        .in_portfolio("fund-a", name="Fund A")
    )


def early_school() -> Scenario:
    """A school with a change no turnover has tested."""
    return (
        Scenario("eastfield", kind="school")
        .tenure("headteacher", "H", "2015-01-01")
        .change("c-attendance", adopted="2017-01-01", kind="policy")
        .status("c-attendance", "2019-01-01", "in_force")
        .in_portfolio("fund-a")
    )


def test_counts_every_phase_including_zeros() -> None:
    summary = summary_of(later_council(), early_school())
    assert counts(summary.phase_counts) == {
        "early": 1,
        "middle": 0,
        "later": 1,
    }


def test_tests_by_verdict_and_changes_by_summary_list_every_word() -> None:
    summary = summary_of(later_council(), early_school())
    assert counts(summary.verdict_counts) == {
        "persisted": 1,
        "reversed": 0,
        "too_early": 0,
        "unconfirmed": 0,
    }
    assert counts(summary.summary_counts) == {
        "persisted": 1,
        "reversed_after_turnover": 0,
        "too_early": 0,
        "unconfirmed": 0,
        "untested": 1,
    }


def test_share_of_changes_a_turnover_has_tested_comes_with_n() -> None:
    summary = summary_of(later_council(), early_school())
    assert (summary.n_tested, summary.n_changes, summary.tested_share) == (1, 2, 0.5)
    assert summary.tested_sentence == (
        "1 of 2 structural changes (50%) have been tested by a turnover (n = 2). "
        "Of 1 persistence test: 1 persisted."
    )


def test_untested_changes_are_a_caveat_in_plain_words() -> None:
    summary = summary_of(later_council(), early_school())
    assert any(UNTESTED_SENTENCE in caveat for caveat in summary.caveats)


def test_vacant_key_role_without_succession_plan_is_at_risk() -> None:
    school = (
        Scenario("westmoor", kind="school")
        .tenure("headteacher", "H", "2015-01-01", "2020-07-31")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2020-12-31", "in_force")
    )
    summary = summary_of(school)
    (row,) = summary.at_risk.to_dict(orient="records")
    assert row["institution"] == "westmoor"
    assert row["roles"] == ("headteacher",)
    assert row["reasons"][0] == (
        "the key role headteacher has been vacant since 2020-07-31 (no successor recorded)"
    )
    assert row["reasons"][-1] == "no succession plan is recorded in the commissioning diagnostics"
    assert summary.institutions.set_index("institution").at["westmoor", "at_risk"]


def test_succession_plan_in_the_latest_diagnostics_removes_the_risk() -> None:
    school = (
        Scenario("westmoor", kind="school")
        .tenure("headteacher", "H", "2015-01-01", "2020-07-31")
        .diagnostics("2019-01-01", succession_plan=False)
        .diagnostics("2020-06-01", succession_plan=True)
    )
    assert summary_of(school).at_risk.empty


def test_an_earlier_plan_does_not_count_when_the_latest_diagnostics_say_none() -> None:
    school = (
        Scenario("westmoor", kind="school")
        .tenure("headteacher", "H", "2015-01-01", "2020-07-31")
        .diagnostics("2019-01-01", succession_plan=True)
        .diagnostics("2020-06-01", succession_plan=False)
    )
    (row,) = summary_of(school).at_risk.to_dict(orient="records")
    assert row["succession_plan"] is False
    assert "latest commissioning diagnostics (2020-06-01)" in row["reasons"][-1]


def test_tenure_recorded_to_end_after_the_as_of_date_is_a_changing_role() -> None:
    council = Scenario("northdale").tenure("chief_executive", "A", "2014-01-01", "2022-03-31")
    summary = summary_of(council, as_of=dt.date(2021, 12, 31))
    (row,) = summary.at_risk.to_dict(orient="records")
    assert row["reasons"][0] == (
        "the key role chief_executive is changing: A's tenure is due to end on 2022-03-31"
    )


def test_role_that_changed_hands_within_the_last_two_quarters_is_at_risk() -> None:
    council = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2014-01-01", "2021-09-30")
        .tenure("chief_executive", "B", "2021-10-01")
    )
    recent = summary_of(council, as_of=dt.date(2021, 12, 31))
    assert "changed hands recently" in recent.at_risk.iloc[0]["reasons"][0]
    later = summary_of(council, as_of=dt.date(2022, 6, 30))
    assert later.at_risk.empty


def test_vacancy_in_a_role_that_is_not_key_is_not_a_risk() -> None:
    council = Scenario("northdale").tenure(
        "programme_officer", "P", "2014-01-01", "2020-01-31", key_role=False
    )
    assert summary_of(council).at_risk.empty


def test_portfolio_keeps_only_its_institutions_and_names_itself() -> None:
    outsider = Scenario("southvale").tenure("chief_executive", "S", "2015-01-01")
    summary = summary_of(later_council(), early_school(), outsider, portfolio="fund-a")
    assert list(summary.institutions["institution"]) == ["eastfield", "northdale"]
    assert (summary.portfolio, summary.name, summary.title) == ("fund-a", "Fund A", "Fund A")


def test_unknown_portfolio_is_refused() -> None:
    with pytest.raises(KeyError, match="fund-z"):
        summary_of(later_council(), portfolio="fund-z")


def test_drill_down_lists_each_institution_with_phase_as_of_and_counts() -> None:
    summary = summary_of(later_council(), early_school())
    assert list(summary.institutions.columns) == list(DRILL_DOWN_COLUMNS)
    row = summary.institutions.set_index("institution").loc["northdale"]
    assert row["phase"] == "later"
    assert row["as_of"].date() == dt.date(2019, 6, 1)
    assert (row["turnovers"], row["changes"], row["tested"], row["persisted"]) == (1, 1, 1, 1)
    assert bool(row["costly_reversal"])


def test_survival_compares_changes_tested_by_a_turnover_with_the_rest() -> None:
    summary = summary_of(later_council(), early_school())
    groups = {group.group: (group.n, group.events) for group in summary.survival.groups}
    assert groups == {TESTED: (1, 0), NOT_TESTED: (1, 0)}
    assert any("read as descriptive only" in caveat for caveat in summary.caveats)


def test_summary_json_is_plain() -> None:
    data = json.loads(json.dumps(summary_of(later_council(), early_school()).to_json()))
    assert data["phases"] == {"early": 1, "middle": 0, "later": 1}
    assert data["tested_share"] == 0.5
    assert data["institutions"][1]["as_of"] == "2019-06-01"
    assert data["parameters"]["window_months"] == 12


@pytest.mark.slow
def test_summary_aggregates_a_national_portfolio() -> None:
    """25,000 institutions: the summary aggregates the result frames whole. How long it takes is
    measured in bench/ (the portfolio page at 25,000), not asserted here: a timed test fails on a
    loaded machine and proves nothing about the user's wait."""
    rng = np.random.default_rng(7)
    n = 25_000
    keys = np.array([f"i{i:05d}" for i in range(n)])
    start = pd.Timestamp("2015-01-01")
    leadership = pd.DataFrame(
        {
            "institution": np.repeat(keys, 2),
            "role": "headteacher",
            "holder": np.tile(["first", "second"], n),
            "start": start + pd.to_timedelta(np.tile([0, 1500], n), "D"),
            "end": start
            + pd.to_timedelta(np.tile([1499, 3300], n) + rng.integers(0, 400, 2 * n), "D"),
        }
    )
    changes = pd.DataFrame(
        {
            "key": [f"c{i}" for i in range(2 * n)],
            "institution": np.repeat(keys, 2),
            "title": "a change",
            "kind": "policy",
            "adopted": start + pd.to_timedelta(rng.integers(0, 1400, 2 * n), "D"),
        }
    )
    status = pd.DataFrame(
        {
            "change": changes["key"],
            "date": changes["adopted"] + pd.to_timedelta(rng.integers(100, 2000, 2 * n), "D"),
            "status": rng.choice(["in_force", "reversed"], 2 * n),
        }
    )
    dataset = Dataset.from_frames(
        {
            "institutions": pd.DataFrame({"key": keys, "name": keys, "kind": "school"}),
            "leadership": leadership,
            "changes": changes,
            "change_status": status,
            "diagnostics": pd.DataFrame(
                {"institution": keys, "date": pd.Timestamp("2020-01-01"), "succession_plan": False}
            ),
            "portfolios": pd.DataFrame({"portfolio": "national", "institution": keys}),
        }
    )
    as_of = pd.Timestamp("2024-12-31")
    result = AnalysisResult(
        parameters=Parameters(),
        as_of=pd.DataFrame({"institution": keys, "as_of": as_of}),
        phases=pd.DataFrame(
            {
                "institution": keys,
                "as_of": as_of,
                "phase": rng.choice(["early", "middle", "later"], n),
                "suggested_stage": "installation",
                "costly_reversal": False,
            }
        ),
        turnovers=pd.DataFrame({"institution": keys, "kind": "leadership"}),
        change_tests=pd.DataFrame(
            {"institution": keys, "change": changes["key"][::2].to_numpy(), "verdict": "persisted"}
        ),
        changes=pd.DataFrame(
            {
                "institution": changes["institution"],
                "change": changes["key"],
                "summary": np.tile(["persisted", "untested"], n),
                "n_tests": np.tile([1, 0], n),
            }
        ),
    )
    summary = portfolio_summary(dataset, result, portfolio="national")
    assert summary.n_institutions == n
    assert int(summary.phase_counts["institutions"].sum()) == n
    assert (summary.n_tested, summary.n_changes) == (n, 2 * n)
    # Every second tenure has ended before as-of with no successor: every institution is at risk.
    assert len(summary.at_risk) == n
