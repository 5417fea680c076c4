"""Phase, criteria, suggested stage and stage history (product.md, "Phase")."""

from __future__ import annotations

import datetime as dt

from tests.builders import Scenario
from tracker.analysis.language import check_language
from tracker.analysis.params import Parameters
from tracker.analysis.results import InstitutionResult
from tracker.analysis.run import analyse


def analysed(scenario: Scenario, **params: object) -> InstitutionResult:
    result = analyse(scenario.build(), Parameters(**params))  # type: ignore[arg-type]
    return result.institution("northdale")


def northdale() -> Scenario:
    """A chief executive leaving on 31 March 2018; the record runs to the end of 2021."""
    return (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Bob", "2018-04-01")
        .decision("as-of-marker", "2021-12-31")
    )


def persisted_hiring_change(scenario: Scenario) -> Scenario:
    return scenario.change("c-hiring", adopted="2016-06-01").status(
        "c-hiring", "2019-04-01", "in_force"
    )


def test_later_when_in_force_persisted_and_a_costly_reversal() -> None:
    result = analysed(persisted_hiring_change(northdale()).costly_reversal("d", "2019-05-01"))
    criteria = result.criteria
    assert criteria.structural_change_in_force
    assert criteria.persisted_through_turnover
    assert criteria.costly_reversal
    assert result.phase.phase == "later"
    assert "consistent with the later phase" in result.phase.explanation


def test_middle_when_a_costly_reversal_and_a_structural_change_in_force_not_yet_tested() -> None:
    scenario = northdale().change("c-policy", adopted="2019-01-01", kind="policy")
    result = analysed(scenario.costly_reversal("d", "2019-05-01"))
    assert result.criteria.structural_change_in_force
    assert not result.criteria.persisted_through_turnover
    assert result.phase.phase == "middle"
    assert "has yet been shown to persist through a turnover" in result.phase.explanation


def test_middle_when_a_costly_reversal_and_an_indicator_improved_beyond_the_tolerance() -> None:
    scenario = (
        northdale()
        .costly_reversal("d", "2019-05-01")
        .indicator("resident_trust")
        .values("resident_trust", "2016Q1", [50, 50, 50, 50, 60, 60, 60, 60])
    )
    result = analysed(scenario)
    assert result.criteria.practice_change
    assert not result.criteria.structural_change_in_force
    assert result.phase.phase == "middle"
    assert "resident_trust" in dict(result.criteria.reasons)["practice_change"]


def test_a_practice_level_change_in_force_is_practice_change_not_structural() -> None:
    scenario = northdale().change("p", adopted="2016-01-01", kind="practice")
    scenario = scenario.status("p", "2019-06-01", "in_force").costly_reversal("d", "2019-05-01")
    result = analysed(scenario)
    assert result.criteria.practice_change
    assert not result.criteria.structural_change_in_force
    # It persisted through the turnover, but it is not a structural change.
    assert result.changes[0].summary == "persisted"
    assert not result.criteria.persisted_through_turnover
    assert result.phase.phase == "middle"


def test_early_without_a_costly_reversal_whatever_else_has_happened() -> None:
    scenario = persisted_hiring_change(northdale()).decision("plain", "2019-05-01")
    result = analysed(scenario)
    assert result.criteria.structural_change_in_force
    assert result.criteria.persisted_through_turnover
    assert result.phase.phase == "early"
    assert "calling this work culture change is premature" in result.phase.explanation


def test_early_when_the_persisted_change_is_no_longer_in_force() -> None:
    scenario = persisted_hiring_change(northdale()).status("c-hiring", "2020-01-01", "reversed")
    result = analysed(scenario.costly_reversal("d", "2019-05-01"))
    assert not result.criteria.persisted_through_turnover
    assert not result.criteria.structural_change_in_force
    assert result.phase.phase == "early"
    assert "neither practice change nor a structural change in force" in (result.phase.explanation)


def test_early_when_a_costly_reversal_stands_alone() -> None:
    result = analysed(northdale().costly_reversal("d", "2019-05-01"))
    assert result.phase.phase == "early"
    assert "neither practice change nor a structural change in force" in result.phase.explanation


def test_the_phase_is_as_of_a_date() -> None:
    scenario = persisted_hiring_change(northdale()).costly_reversal("d", "2019-05-01")
    assert analysed(scenario, as_of=dt.date(2019, 3, 31)).phase.phase == "early"
    assert analysed(scenario, as_of=dt.date(2019, 4, 30)).phase.phase == "early"
    assert analysed(scenario, as_of=dt.date(2019, 5, 1)).phase.phase == "later"


def test_explanations_use_contribution_language() -> None:
    scenarios = [
        persisted_hiring_change(northdale()).costly_reversal("d", "2019-05-01"),
        northdale().change("c", adopted="2019-01-01").costly_reversal("d", "2019-05-01"),
        northdale(),
        northdale().costly_reversal("d", "2019-05-01"),
    ]
    for scenario in scenarios:
        result = analysed(scenario)
        texts = [result.phase.explanation, result.phase.suggested_stage_reason]
        texts += [reason for _, reason in result.criteria.reasons]
        for text in texts:
            assert check_language(text) == [], text


def test_suggested_stage_exploration_when_nothing_has_started() -> None:
    assert analysed(northdale()).phase.suggested_stage == "exploration"


def test_suggested_stage_installation_with_engagement_but_no_change_in_force() -> None:
    scenario = northdale().partner("civic-lab", "2016-01-01").activity("Coaching", "2016-02-01")
    assert analysed(scenario).phase.suggested_stage == "installation"
    reversed_only = (
        northdale().change("c", adopted="2016-01-01").status("c", "2017-01-01", "reversed")
    )
    assert analysed(reversed_only).phase.suggested_stage == "installation"


def test_suggested_stage_initial_implementation_with_a_change_in_force_not_yet_persisted() -> None:
    scenario = northdale().change("c", adopted="2016-01-01")  # unconfirmed after Ann left
    assert analysed(scenario).phase.suggested_stage == "initial_implementation"


def test_suggested_stage_full_implementation_when_a_change_persisted_and_is_in_force() -> None:
    result = analysed(persisted_hiring_change(northdale()))
    assert result.phase.suggested_stage == "full_implementation"


def test_suggested_stage_sustainability_after_persisting_through_two_turnovers() -> None:
    scenario = (
        persisted_hiring_change(northdale())
        .partner("civic-lab", "2016-01-01", "2019-12-31")
        .status("c-hiring", "2021-01-01", "in_force")
    )
    assert analysed(scenario).phase.suggested_stage == "sustainability"


def test_stage_history_notes_a_backward_move_after_a_turnover() -> None:
    scenario = (
        northdale()
        .observation("2017Q2", stage="installation")
        .observation("2017Q4", stage="initial_implementation")
        .observation("2018Q1", narrative="No stage judged this quarter.")
        .observation("2018Q3", stage="installation")
        .observation("2019Q2", stage="initial_implementation")
    )
    history = analysed(scenario).phase.stage_history
    assert [(item.period, item.moved_backwards) for item in history] == [
        ("2017Q2", False),
        ("2017Q4", False),
        ("2018Q3", True),
        ("2019Q2", False),
    ]
    assert history[2].note == (
        "moved back from initial_implementation to installation, after the chief_executive "
        "turnover on 2018-03-31"
    )


def test_stage_history_stops_at_the_as_of_date() -> None:
    scenario = northdale().observation("2018Q4", stage="installation")
    assert analysed(scenario, as_of=dt.date(2018, 12, 30)).phase.stage_history == ()
    assert len(analysed(scenario, as_of=dt.date(2018, 12, 31)).phase.stage_history) == 1
