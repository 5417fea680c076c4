"""Turnover events and as-of dates (product.md: "Turnover event", "As-of date")."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.builders import Scenario
from tracker.analysis.asof import as_of_dates
from tracker.analysis.params import Parameters
from tracker.analysis.turnovers import TURNOVER_COLUMNS, turnovers
from tracker.dataset import Dataset


def turnovers_of(dataset: Dataset, *, as_of: str | None = None) -> pd.DataFrame:
    params = Parameters(as_of=None if as_of is None else dt.date.fromisoformat(as_of))
    return turnovers(dataset, as_of_dates(dataset, params))


def dates(frame: pd.DataFrame) -> list[str]:
    return [day.date().isoformat() for day in frame["date"]]


def test_change_of_chief_executive_is_a_turnover_dated_at_outgoing_end() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Bob", "2018-05-01")
        .build()
    )
    found = turnovers_of(dataset)
    assert list(found.columns) == list(TURNOVER_COLUMNS)
    assert len(found) == 1
    event = found.iloc[0]
    assert (event["kind"], event["role"], event["outgoing"], event["incoming"]) == (
        "leadership",
        "chief_executive",
        "Ann",
        "Bob",
    )
    assert dates(found) == ["2018-03-31"]
    assert not event["implied_end"]
    assert "Ann" in event["reason"] and "2018-03-31" in event["reason"]


def test_missing_end_is_dated_at_next_tenure_start_as_implied_end() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("headteacher", "Ann", "2015-01-01")
        .tenure("headteacher", "Bob", "2019-09-01")
        .build()
    )
    found = turnovers_of(dataset)
    assert dates(found) == ["2019-09-01"]
    assert found.iloc[0]["implied_end"]
    assert "implied end" in found.iloc[0]["reason"]


def test_first_tenure_in_a_role_is_not_a_turnover() -> None:
    dataset = Scenario("northdale").tenure("chief_executive", "Ann", "2015-01-01").build()
    assert turnovers_of(dataset).empty


def test_same_holder_reappointed_is_not_a_change_of_holder() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("council_leader", "Ann", "2015-05-01", "2019-05-01")
        .tenure("council_leader", "Ann", "2019-05-02", "2023-05-01")
        .tenure("council_leader", "Cat", "2023-05-02")
        .build()
    )
    assert dates(turnovers_of(dataset)) == ["2023-05-01"]


def test_non_key_role_is_ignored() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("clerk", "Ann", "2015-01-01", "2016-01-01", key_role=False)
        .tenure("clerk", "Bob", "2016-01-02", key_role=False)
        .build()
    )
    assert turnovers_of(dataset).empty


def test_tenure_ended_with_no_successor_is_a_turnover_and_the_role_is_vacant() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("institutional_champion", "Ann", "2015-01-01", "2017-06-30")
        .tenure("chief_executive", "Bob", "2015-01-01")
        .build()
    )
    found = turnovers_of(dataset)
    assert dates(found) == ["2017-06-30"]
    assert found.iloc[0]["incoming"] is None
    assert "vacant" in found.iloc[0]["reason"]


def test_partner_withdrawal_is_dated_at_the_engagement_end() -> None:
    dataset = (
        Scenario("northdale")
        .partner("civic-lab", "2016-01-01", "2020-06-30")
        .partner("coaching-co", "2017-01-01")
        .build()
    )
    found = turnovers_of(dataset)
    assert list(found["kind"]) == ["partner_withdrawal"]
    assert list(found["partner"]) == ["civic-lab"]
    assert found.iloc[0]["role"] is None
    assert dates(found) == ["2020-06-30"]


def test_turnovers_after_the_as_of_date_do_not_count() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Bob", "2018-04-01", "2021-03-31")
        .tenure("chief_executive", "Cat", "2021-04-01")
        .partner("civic-lab", "2016-01-01", "2020-06-30")
        .build()
    )
    assert dates(turnovers_of(dataset, as_of="2020-06-29")) == ["2018-03-31"]
    assert dates(turnovers_of(dataset, as_of="2020-06-30")) == ["2018-03-31", "2020-06-30"]


def test_a_tenure_ending_after_the_as_of_date_was_still_running_then() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01")
        .tenure("chief_executive", "Bob", "2019-01-01")
        .build()
    )
    # As of the end of 2018 Bob had not started: Ann's tenure was still open.
    assert turnovers_of(dataset, as_of="2018-12-31").empty


def test_turnovers_are_in_date_order_per_institution() -> None:
    dataset = (
        Scenario("northdale")
        .partner("civic-lab", "2016-01-01", "2017-01-01")
        .tenure("leader", "Ann", "2015-01-01", "2019-01-01")
        .tenure("leader", "Bob", "2019-01-02")
        .tenure("chief_executive", "Cat", "2015-01-01", "2016-06-30")
        .tenure("chief_executive", "Dan", "2016-07-01")
        .build()
    )
    assert dates(turnovers_of(dataset)) == ["2016-06-30", "2017-01-01", "2019-01-01"]


def test_as_of_defaults_to_the_latest_dated_record_of_each_institution() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .values("trust", "2018Q1", [50.0, 51.0])  # the last quarter, 2018Q2, ends on 30 June
        .build()
    )
    assert as_of_dates(dataset, Parameters())["northdale"] == pd.Timestamp("2018-06-30")


def test_a_status_record_counts_towards_the_as_of_date_through_its_change() -> None:
    dataset = (
        Scenario("northdale")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2021-02-03", "in_force")
        .build()
    )
    assert as_of_dates(dataset, Parameters())["northdale"] == pd.Timestamp("2021-02-03")


def test_the_as_of_parameter_overrides_the_latest_record() -> None:
    dataset = Scenario("northdale").change("c1", adopted="2016-01-01").build()
    found = as_of_dates(dataset, Parameters(as_of=dt.date(2030, 1, 1)))
    assert found["northdale"] == pd.Timestamp("2030-01-01")
