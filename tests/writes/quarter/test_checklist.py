"""The quarter's checklist: what is still missing (pure: data sets in, items out)."""

from __future__ import annotations

import datetime as dt

from tests.builders import Scenario
from tracker.writes.quarter.checklist import (
    ChecklistItem,
    quarter_checklist,
    reported_indicators,
    vacant_key_roles,
)


def items(scenario: Scenario, period: str, *, confirmed: bool = False) -> dict[str, ChecklistItem]:
    checklist = quarter_checklist(
        scenario.build(), institution=scenario.institution, period=period,
        leadership_confirmed=confirmed,
    )
    return {item.key: item for item in checklist}


def test_indicators_reported_before_but_not_this_quarter_are_missing() -> None:
    case = (
        Scenario("northdale").indicator("trust").indicator("turnover", higher_is_better=False)
        .values("trust", "2024Q1", [60, 61]).values("turnover", "2024Q1", [12])
    )
    values = items(case, "2024Q2")["values"]
    assert not values.done and values.missing == ("turnover",)
    assert "1 of 2 indicators" in values.hint


def test_an_institution_without_values_is_asked_for_every_indicator() -> None:
    case = Scenario("northdale").indicator("trust").indicator("morale")
    assert reported_indicators(case.build(), institution="northdale", period="2024Q2") == [
        "morale", "trust"
    ]
    assert items(case, "2024Q2")["values"].missing == ("morale", "trust")


def test_the_narrative_is_missing_until_an_observation_is_written() -> None:
    case = Scenario("northdale").observation("2024Q1")
    assert items(case, "2024Q1")["narrative"].done
    assert not items(case, "2024Q2")["narrative"].done


def test_leadership_needs_the_evaluators_confirmation_and_names_vacant_key_roles() -> None:
    case = (
        Scenario("northdale")
        .tenure("chief_executive", "Chief executive (first holder)", "2019-01-01", "2024-04-30")
        .tenure("council_leader", "Leader (first holder)", "2019-01-01")
        .tenure("programme_lead", "Lead", "2019-01-01", "2024-05-31", key_role=False)
    )
    leadership = items(case, "2024Q2")["leadership"]
    assert not leadership.done and leadership.missing == ("chief_executive",)
    assert "Vacant at the quarter's end: chief executive" in leadership.hint
    assert items(case, "2024Q2", confirmed=True)["leadership"].done
    assert vacant_key_roles(case.build(), institution="northdale", on=dt.date(2024, 4, 30)) == []


def test_logging_a_leadership_change_in_the_quarter_counts_as_confirming_it() -> None:
    case = (
        Scenario("northdale")
        .tenure("chief_executive", "Chief executive (first holder)", "2019-01-01", "2024-04-30")
        .tenure("chief_executive", "Chief executive (second holder)", "2024-05-01")
    )
    leadership = items(case, "2024Q2")["leadership"]
    assert leadership.done and "or log the change" not in leadership.hint
    assert "chief executive" in leadership.hint
    assert not items(case, "2024Q3")["leadership"].done


def test_a_change_whose_window_passed_unconfirmed_awaits_confirmation() -> None:
    case = (
        Scenario("northdale")
        .tenure("chief_executive", "Chief executive (first holder)", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Chief executive (second holder)", "2018-04-01")
        .change("c-hiring", adopted="2016-01-01", title="Revised hiring criteria")
        .observation("2019Q4")
    )
    persistence = items(case, "2019Q4")["persistence"]
    assert not persistence.done
    [waiting] = persistence.missing
    assert waiting.startswith(
        "Revised hiring criteria: tested by the chief executive turnover on 2018-03-31"
    )
    assert "on or after 2019-03-31" in waiting
    # too early to ask a year earlier; and a confirming status settles it
    assert items(case, "2018Q4")["persistence"].done
    assert items(case.status("c-hiring", "2019-06-30", "in_force"), "2019Q4")["persistence"].done


def test_windows_that_closed_long_ago_are_listed_together() -> None:
    case = (
        Scenario("northdale")
        .tenure("chief_executive", "Chief executive (first holder)", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Chief executive (second holder)", "2018-04-01")
        .change("c-hiring", adopted="2016-01-01", title="Revised hiring criteria")
        .change("c-panel", adopted="2016-02-01", title="Resident panel")
    )
    [grouped] = items(case, "2021Q2")["persistence"].missing
    assert grouped.startswith("2 changes whose window closed before 2020-04-01")
    assert "Resident panel" in grouped and "Revised hiring criteria" in grouped
