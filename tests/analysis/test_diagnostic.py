"""The diagnostic question and the commissioning questions (product.md, the article)."""

from __future__ import annotations

import datetime as dt

from tests.builders import Scenario
from tracker.analysis.params import Parameters
from tracker.analysis.results import Diagnostic
from tracker.analysis.run import analyse


def diagnostic(scenario: Scenario, **params: object) -> Diagnostic:
    result = analyse(scenario.build(), Parameters(**params))  # type: ignore[arg-type]
    return result.institution("northdale").diagnostic


def test_yes_when_a_decision_reversed_an_earlier_one_because_of_the_community_at_a_cost() -> None:
    found = diagnostic(Scenario("northdale").costly_reversal("d-budget-panel", "2019-05-01"))
    assert found.costly_reversal
    assert found.answer == "yes"
    assert found.decisions == ("d-budget-panel",)
    assert "d-budget-panel" in found.sentence


def test_no_when_each_decision_lacks_one_flag_and_each_names_what_it_lacks() -> None:
    scenario = (
        Scenario("northdale")
        .decision("no-reversal", "2019-01-01", because_of_community=True, cost="budget")
        .decision("not-community", "2019-02-01", reverses_earlier=True, cost="power")
        .decision(
            "no-cost", "2019-03-01", reverses_earlier=True, because_of_community=True, cost="none"
        )
    )
    found = diagnostic(scenario)
    assert not found.costly_reversal
    assert found.decisions == ()
    assert {flag.decision: flag.missing for flag in found.flags} == {
        "no-reversal": ("reverses_earlier",),
        "not-community": ("because_of_community",),
        "no-cost": ("cost",),
    }


def test_an_empty_cost_is_no_cost() -> None:
    scenario = Scenario("northdale").decision(
        "d", "2019-01-01", reverses_earlier=True, because_of_community=True, cost=None
    )
    assert not diagnostic(scenario).costly_reversal


def test_a_decision_after_the_as_of_date_does_not_count() -> None:
    scenario = (
        Scenario("northdale").costly_reversal("d", "2020-01-01").decision("early", "2018-01-01")
    )
    assert not diagnostic(scenario, as_of=dt.date(2019, 12, 31)).costly_reversal
    assert diagnostic(scenario, as_of=dt.date(2020, 1, 1)).costly_reversal


def test_only_satisfying_decisions_are_listed_in_date_order() -> None:
    scenario = (
        Scenario("northdale")
        .costly_reversal("later", "2021-01-01", cost="reputation")
        .decision("plain", "2020-01-01")
        .costly_reversal("earlier", "2019-01-01")
    )
    found = diagnostic(scenario)
    assert found.decisions == ("earlier", "later")
    assert [flag.decision for flag in found.flags] == ["earlier", "plain", "later"]


def test_the_latest_commissioning_answers_as_of_the_as_of_date() -> None:
    scenario = (
        Scenario("northdale")
        .diagnostics("2018-01-01", succession_plan=False, leadership_commitment=True)
        .diagnostics("2020-01-01", succession_plan=True, leadership_commitment=True)
    )
    latest = diagnostic(scenario).commissioning
    assert latest is not None
    assert (latest.date, latest.succession_plan) == (dt.date(2020, 1, 1), True)
    earlier = diagnostic(scenario, as_of=dt.date(2019, 6, 30)).commissioning
    assert earlier is not None
    assert (earlier.date, earlier.succession_plan) == (dt.date(2018, 1, 1), False)
    assert earlier.realistic_timescale is None  # unanswered stays unanswered


def test_no_commissioning_answers_before_the_first_row() -> None:
    scenario = Scenario("northdale").diagnostics("2020-01-01", succession_plan=True)
    assert diagnostic(scenario, as_of=dt.date(2019, 1, 1)).commissioning is None
