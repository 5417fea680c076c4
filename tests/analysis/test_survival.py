"""Survival of structural changes (Kaplan–Meier), tested by a turnover or not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from tracker.analysis.survival import (
    CURVE_COLUMNS,
    FEW_CHANGES,
    IMMORTAL_TIME_NOTE,
    NOT_TESTED,
    TESTED,
    change_durations,
    survival_of_changes,
)
from tracker.dataset import Dataset


def changes_and_status(
    changes: list[dict[str, Any]], status: list[dict[str, Any]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"title": f"change {c['key']}", "kind": "policy", **c} for c in changes]
    data = Dataset.from_frames(
        {"changes": pd.DataFrame(rows), "change_status": pd.DataFrame(status)}
    )
    return data["changes"], data["change_status"]


def test_duration_runs_from_adoption_to_the_first_reversal_or_supersession() -> None:
    changes, status = changes_and_status(
        [{"key": "c1", "institution": "a", "adopted": "2018-01-01"}],
        [
            {"change": "c1", "date": "2018-07-01", "status": "weakened"},
            {"change": "c1", "date": "2019-01-01", "status": "superseded"},
            {"change": "c1", "date": "2020-01-01", "status": "reversed"},
        ],
    )
    (row,) = change_durations(changes, status, as_of=dt.date(2022, 1, 1), tested=[]).to_dict(
        orient="records"
    )
    assert row["event"]
    assert row["end"] == pd.Timestamp("2019-01-01")
    assert row["months"] == pytest.approx(365 / (365.25 / 12))


def test_change_still_in_force_is_censored_at_the_as_of_date() -> None:
    changes, status = changes_and_status(
        [{"key": "c1", "institution": "a", "adopted": "2020-01-01"}],
        [{"change": "c1", "date": "2023-01-01", "status": "reversed"}],
    )
    as_of = pd.Series({"a": pd.Timestamp("2021-01-01")})
    (row,) = change_durations(changes, status, as_of=as_of, tested=[]).to_dict(orient="records")
    assert not row["event"]
    assert row["end"] == pd.Timestamp("2021-01-01")


def test_change_adopted_after_the_as_of_date_is_left_out() -> None:
    changes, status = changes_and_status(
        [
            {"key": "c1", "institution": "a", "adopted": "2020-01-01"},
            {"key": "c2", "institution": "a", "adopted": "2024-01-01"},
        ],
        [],
    )
    durations = change_durations(changes, status, as_of=dt.date(2022, 1, 1), tested=[])
    assert list(durations["change"]) == ["c1"]


def test_changes_are_grouped_by_whether_a_turnover_tested_them() -> None:
    changes, status = changes_and_status(
        [
            {"key": "c1", "institution": "a", "adopted": "2018-01-01"},
            {"key": "c2", "institution": "b", "adopted": "2018-01-01"},
        ],
        [],
    )
    durations = change_durations(changes, status, as_of=dt.date(2022, 1, 1), tested={"c2"})
    assert dict(zip(durations["change"], durations["group"], strict=True)) == {
        "c1": NOT_TESTED,
        "c2": TESTED,
    }


def durations_frame(group: str, months_events: list[tuple[float, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "institution": [f"i{n}" for n in range(len(months_events))],
            "change": [f"{group[:3]}{n}" for n in range(len(months_events))],
            "group": group,
            "months": [m for m, _ in months_events],
            "event": [e for _, e in months_events],
        }
    )


def test_kaplan_meier_curve_steps_down_at_each_reversal() -> None:
    durations = durations_frame(TESTED, [(6, True), (12, False), (18, True), (24, False)])
    result = survival_of_changes(durations)
    curve = result.curves[result.curves["group"] == TESTED]
    assert list(curve.columns) == list(CURVE_COLUMNS)
    assert list(curve["months"]) == [0.0, 6.0, 18.0, 24.0]
    # 1 × 3/4 at 6 months; × 1/2 at 18 months (two still at risk, one ends).
    assert list(curve["survival"]) == pytest.approx([1.0, 0.75, 0.375, 0.375])
    assert (curve["ci_lower"] <= curve["survival"]).all()
    assert (curve["survival"] <= curve["ci_upper"]).all()
    assert ((curve["ci_lower"] >= 0) & (curve["ci_upper"] <= 1)).all()


def test_few_changes_carry_the_descriptive_only_caveat() -> None:
    durations = durations_frame(TESTED, [(6, True), (12, False)])
    result = survival_of_changes(durations)
    tested, untested = result.groups
    assert (tested.n, tested.events, tested.caveat) == (2, 1, FEW_CHANGES)
    assert (untested.n, untested.caveat) == (0, "no changes in this group")
    assert any(FEW_CHANGES in caveat for caveat in result.caveats)
    assert IMMORTAL_TIME_NOTE in result.caveats


def test_enough_changes_and_events_carry_no_small_number_caveat() -> None:
    months_events = [(float(m), m % 3 == 0) for m in range(1, 25)]
    result = survival_of_changes(durations_frame(NOT_TESTED, months_events))
    untested = result.groups[1]
    assert (untested.n, untested.events, untested.caveat) == (24, 8, None)


def test_log_rank_test_is_reported_as_descriptive_only() -> None:
    durations = pd.concat(
        [
            durations_frame(TESTED, [(30, False), (36, False), (40, True), (48, False)]),
            durations_frame(NOT_TESTED, [(3, True), (6, True), (9, True), (12, False)]),
        ],
        ignore_index=True,
    )
    result = survival_of_changes(durations)
    assert result.logrank_statistic is not None and result.logrank_statistic > 0
    assert result.logrank_p is not None and 0 < result.logrank_p < 1
    assert "descriptive only" in result.logrank_sentence
    assert "not a causal comparison" in result.logrank_sentence


def test_no_log_rank_test_with_one_group_only() -> None:
    result = survival_of_changes(durations_frame(TESTED, [(6, True), (12, False)]))
    assert result.logrank_statistic is None
    assert "No log-rank test" in result.logrank_sentence


def test_no_log_rank_test_when_every_event_falls_after_the_other_group_left_the_risk_set() -> None:
    # The only reversal (month 12) comes after the one untested change was censored (month 3):
    # the log-rank variance is zero, so no test is reported rather than an error raised.
    durations = pd.concat(
        [
            durations_frame(TESTED, [(12, True)]),
            durations_frame(NOT_TESTED, [(3, False)]),
        ],
        ignore_index=True,
    )
    result = survival_of_changes(durations)
    assert result.logrank_statistic is None and result.logrank_p is None
    assert "No log-rank test" in result.logrank_sentence
    assert [group.n for group in result.groups] == [1, 1]


def test_no_changes_gives_empty_curves() -> None:
    result = survival_of_changes(durations_frame(TESTED, []))
    assert result.curves.empty
    assert [group.n for group in result.groups] == [0, 0]
