"""A stored result is kept only until the day it would change by itself: a planned end date
coming to pass (the default as-of date moves and a turnover appears) or a target falling due.
After that day the store recomputes it, although nobody wrote anything."""

from __future__ import annotations

import datetime as dt

from tests.builders import Scenario, combine
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.store.portfolio_parts import valid_until
from tracker.store.refresh import ANALYSIS_METHOD_VERSION, ResultState

TODAY = dt.date(2026, 12, 1)


def _northdale() -> Scenario:
    return (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2027-03-31")  # a planned end
        .change("c1", adopted="2016-01-01")
        .status("c1", "2019-04-01", "in_force")
    )


def test_a_result_is_kept_until_a_planned_end_comes_to_pass() -> None:
    eastfield = Scenario("eastfield").tenure("chief_executive", "B", "2016-01-01")
    dataset = combine(_northdale(), eastfield)
    assert valid_until(dataset, Parameters(), TODAY) == {"northdale": dt.date(2027, 3, 31)}


def test_the_planned_end_does_change_the_analysis_on_that_day() -> None:
    dataset = _northdale().build()
    before = analyse(dataset, today=dt.date(2027, 3, 30)).institution("northdale")
    on_the_day = analyse(dataset, today=dt.date(2027, 3, 31)).institution("northdale")
    assert len(before.turnovers) == 0
    assert len(on_the_day.turnovers) == 1


def test_a_result_is_kept_until_a_target_falls_due() -> None:
    dataset = (
        Scenario("westmoor")
        .tenure("chief_executive", "C", "2015-01-01")
        .indicator("attendance")
        .values("attendance", "2026Q1", [90, 91, 92])
        .target("attendance", "2027Q1", 95)
        .build()
    )
    # The first quarter of 2027 ends on 31 March 2027: the target is judged from then.
    assert valid_until(dataset, Parameters(), TODAY) == {"westmoor": dt.date(2027, 3, 31)}


def test_a_fixed_as_of_date_never_falls_due() -> None:
    dataset = _northdale().build()
    assert valid_until(dataset, Parameters(as_of=dt.date(2020, 1, 1)), TODAY) == {}


def _state(valid: dt.date | None, today: dt.date) -> ResultState:
    return ResultState(
        institution_id=1, key="northdale", data_version=4, stored_data_version=4,
        stored_method_version=ANALYSIS_METHOD_VERSION, computed_at=None, valid_until=valid,
        today=today,
    )


def test_a_stored_result_is_stale_from_the_day_it_falls_due() -> None:
    due = dt.date(2027, 3, 31)
    assert not _state(due, dt.date(2027, 3, 30)).stale
    assert _state(due, due).stale
    assert _state(due, dt.date(2027, 4, 1)).stale
    assert not _state(None, dt.date(2030, 1, 1)).stale
