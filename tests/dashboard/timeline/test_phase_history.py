"""The phase over time: as of every year end, then as of the as-of date; worked out in one
analysis of dated snapshots, and equal to asking the analysis one date at a time."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analysis.test_timeline import northdale
from tracker.access import local_operator
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.timeline import institution_timeline
from tracker.dashboard.timeline.phase_history import (
    phase_at,
    phase_dates,
    phase_stretches,
    phases_over_time,
)
from tracker.db import make_engine, read_session
from tracker.scope import readable_dataset


def test_phase_is_worked_out_at_every_year_end_then_at_the_as_of_date() -> None:
    dates = phase_dates(dt.date(2016, 1, 1), dt.date(2018, 6, 30))
    assert dates == [dt.date(2016, 12, 31), dt.date(2017, 12, 31), dt.date(2018, 6, 30)]


def test_phase_stretches_run_from_one_date_to_the_next() -> None:
    dates = [dt.date(2016, 12, 31), dt.date(2017, 12, 31)]
    stretches = phase_stretches(dates, ["early", "middle"])
    assert list(stretches["start"].dt.date) == [dt.date(2016, 1, 1), dt.date(2016, 12, 31)]
    assert list(stretches["end"].dt.date) == dates
    assert list(stretches["phase"]) == ["early", "middle"]


def test_phase_moves_from_early_to_middle_to_later_as_the_record_grows() -> None:
    dataset = northdale().costly_reversal("d-keep", "2017-03-01").build()
    dates = [dt.date(2016, 12, 31), dt.date(2017, 12, 31), dt.date(2019, 12, 31)]
    # 2016: no costly reversal yet; 2017: one, nothing tested yet; 2019: hiring criteria
    # confirmed in force more than a year after the chief executive left.
    assert phases_over_time(dataset, "northdale", Parameters(), dates) == [
        "early",
        "middle",
        "later",
    ]


@pytest.mark.parametrize(
    "params",
    [Parameters(), Parameters(window_months=24), Parameters(indicator_tolerance=0.0)],
    ids=["defaults", "window-24", "tolerance-0"],
)
def test_snapshots_give_the_phase_the_analysis_gives_one_date_at_a_time(
    params: Parameters,
) -> None:
    dataset = northdale().costly_reversal("d-keep", "2017-03-01").build()
    dates = phase_dates(dt.date(2015, 1, 1), dt.date(2021, 6, 30))
    expected = [phase_at(dataset, "northdale", params, date) for date in dates]
    assert phases_over_time(dataset, "northdale", params, dates) == expected


@pytest.mark.slow
def test_snapshots_agree_with_the_analysis_for_every_sample_institution(sample_url: str) -> None:
    engine = make_engine(sample_url)
    with read_session(engine) as session:
        dataset = readable_dataset(session, local_operator())
    engine.dispose()
    seen = set()
    for result in analyse(dataset):
        timeline = institution_timeline(dataset, result)
        assert timeline.start is not None and result.as_of is not None
        dates = phase_dates(timeline.start, result.as_of)
        expected = [phase_at(dataset, result.institution, Parameters(), d) for d in dates]
        assert phases_over_time(dataset, result.institution, Parameters(), dates) == expected
        seen |= set(expected)
    assert seen == {"early", "middle", "later"}  # the check covered every phase
