"""The frames behind the persistence timeline, built from small scenarios."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.builders import Scenario
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.timeline import Timeline, decision_kind, institution_timeline
from tracker.dataset import Dataset


def northdale() -> Scenario:
    return (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .partner("Civic Lab", "2015-01-12", "2020-06-30")
        .change("c-hiring", adopted="2016-01-01", title="Revised hiring criteria")
        .status("c-hiring", "2019-06-30", "in_force")
        .change("c-panel", adopted="2016-06-01", title="Budget panel")
        .status("c-panel", "2018-09-30", "weakened")
        .status("c-panel", "2019-01-31", "reversed")
        .indicator("trust")
        .values("trust", "2016Q1", [50, 52, 53, 55, 56, 57, 58, 59, 60, 61, 62, 63])
    )


def timeline_of(dataset: Dataset, *, as_of: dt.date | None = None) -> Timeline:
    result = analyse(dataset, Parameters(as_of=as_of)).institution("northdale")
    return institution_timeline(dataset, result)


def test_turnovers_name_the_role_that_changed_and_the_partner_that_withdrew() -> None:
    timeline = timeline_of(northdale().build())
    labels = dict(zip(timeline.turnovers["date"].dt.date, timeline.turnovers["label"], strict=True))
    assert labels == {
        dt.date(2018, 3, 31): "chief executive changed",
        dt.date(2020, 6, 30): "Civic Lab withdrew",
    }


def test_reversed_change_is_drawn_from_adoption_through_weakening_to_its_reversal() -> None:
    spans = timeline_of(northdale().build()).spans
    panel = spans[spans["change"] == "c-panel"].reset_index(drop=True)
    assert list(panel["status"]) == ["in_force", "weakened", "reversed"]
    assert list(panel["start"].dt.date) == [
        dt.date(2016, 6, 1),
        dt.date(2018, 9, 30),
        dt.date(2019, 1, 31),
    ]
    # The span stops at the reversal: one day long, so that its word shows.
    assert panel["end"].iloc[-1].date() == dt.date(2019, 2, 1)
    assert set(panel["summary"]) == {"reversed_after_turnover"}


def test_change_still_in_force_is_drawn_up_to_the_as_of_date_and_no_further() -> None:
    timeline = timeline_of(northdale().build())
    hiring = timeline.spans[timeline.spans["change"] == "c-hiring"]
    assert list(hiring["status"]) == ["in_force"]  # a confirmation does not cut the span
    assert hiring["end"].iloc[0].date() == timeline.as_of


def test_nothing_after_the_as_of_date_is_drawn() -> None:
    timeline = timeline_of(northdale().build(), as_of=dt.date(2017, 12, 31))
    assert timeline.values["date"].max() < pd.Timestamp("2017-12-31")
    assert timeline.turnovers.empty
    assert set(timeline.spans["status"]) == {"in_force"}
    assert timeline.spans["end"].max() == pd.Timestamp("2017-12-31")


def test_costly_reversal_is_told_apart_from_other_decisions() -> None:
    dataset = (
        northdale()
        .decision("d-close", "2016-02-01")
        .costly_reversal("d-keep", "2017-03-01")
        .decision("d-undo", "2017-06-01", reverses_earlier=True)
        .build()
    )
    decisions = timeline_of(dataset).decisions
    kinds = dict(zip(decisions["decision"], decisions["kind"], strict=True))
    assert kinds == {"d-close": "decision", "d-keep": "costly reversal", "d-undo": "reversal"}


def test_a_reversal_because_of_the_community_without_a_cost_is_not_costly() -> None:
    assert decision_kind(True, True, "none") == "reversal"
    assert decision_kind(True, True, None) == "reversal"
    assert decision_kind(True, True, "power") == "costly reversal"


def test_indicator_values_are_drawn_mid_quarter_with_name_and_unit() -> None:
    values = timeline_of(northdale().build()).values
    first = values.iloc[0]
    assert (first["period"], first["name"], first["unit"]) == ("2016Q1", "trust", "%")
    assert first["date"] == pd.Timestamp("2016-02-15")
