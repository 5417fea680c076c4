"""Verdicts on real, messy records (issue 10, cases 1-5): renewals, overlapping and interim
leaders, planned ends, returns after a vacancy, and the default as-of date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.builders import Scenario
from tracker.analysis.asof import as_of_dates
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.turnovers import turnovers
from tracker.dataset import Dataset


def found(dataset: Dataset, as_of: str | None = None, **params: object) -> pd.DataFrame:
    chosen = Parameters(as_of=None if as_of is None else dt.date.fromisoformat(as_of))
    return turnovers(
        dataset,
        as_of_dates(dataset, chosen, today=dt.date(2026, 12, 1)),
        **params,  # type: ignore[arg-type]
    )


def dates(frame: pd.DataFrame) -> list[str]:
    return [day.date().isoformat() for day in frame["date"]]


def summary_of(dataset: Dataset, change: str, as_of: str) -> str:
    result = analyse(dataset, Parameters(as_of=dt.date.fromisoformat(as_of)))
    return str(result.changes.set_index("change").loc[change, "summary"])


# Case 1: renewals.


def test_renewed_engagement_is_not_a_withdrawal() -> None:
    dataset = (
        Scenario("northdale")
        .partner("reach", "2015-01-01", "2017-12-31")
        .partner("reach", "2018-01-01", "2020-12-31")
        .build()
    )
    events = found(dataset, "2022-01-01")
    assert dates(events) == ["2020-12-31"]
    assert "read as one engagement" in events.iloc[0]["reason"]


def test_overlapping_rows_of_one_partner_are_one_engagement() -> None:
    dataset = (
        Scenario("northdale")
        .partner("reach", "2015-01-01", "2018-06-30")
        .partner("reach", "2018-01-01", "2020-12-31")
        .partner("reach", "2016-01-01", "2016-12-31")
        .build()
    )
    assert dates(found(dataset, "2022-01-01")) == ["2020-12-31"]


def test_rows_further_apart_than_the_gap_are_two_engagements() -> None:
    dataset = (
        Scenario("northdale")
        .partner("reach", "2015-01-01", "2017-12-31")
        .partner("reach", "2018-03-01", "2020-12-31")
        .build()
    )
    assert dates(found(dataset, "2022-01-01")) == ["2017-12-31", "2020-12-31"]
    assert dates(found(dataset, "2022-01-01", gap_days=90)) == ["2020-12-31"]


def test_a_renewal_does_not_turn_a_change_reversed_after_turnover() -> None:
    dataset = (
        Scenario("northdale")
        .partner("reach", "2015-01-01", "2017-12-31")
        .partner("reach", "2018-01-01", "2020-12-31")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2018-06-30", "reversed")
        .build()
    )
    assert summary_of(dataset, "c1", "2019-12-31") == "untested"


# Case 2: overlapping tenures in one role.


def test_a_co_holder_inside_a_tenure_invents_no_turnover() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2020-12-31")
        .tenure("chief_executive", "Co", "2016-01-01", "2017-06-30")
        .tenure("chief_executive", "B", "2021-01-01")
        .build()
    )
    events = found(dataset, "2022-01-01")
    assert dates(events) == ["2020-12-31"]
    assert (events.iloc[0]["outgoing"], events.iloc[0]["incoming"]) == ("A", "B")


def test_in_a_shared_role_each_co_holder_departure_is_a_turnover() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("headteacher", "A", "2015-01-01", "2020-12-31", shared=True)
        .tenure("headteacher", "Co", "2016-01-01", "2017-06-30", shared=True)
        .build()
    )
    events = found(dataset, "2022-01-01")
    assert dates(events) == ["2017-06-30", "2020-12-31"]
    assert list(events["outgoing"]) == ["Co", "A"]
    assert all("shared role" in reason for reason in events["reason"])


# Case 3: the as-of date inside a handover.


def test_an_as_of_date_inside_a_handover_sees_the_outgoing_holder_in_post() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-12-31")
        .tenure("chief_executive", "B", "2018-06-01")
        .build()
    )
    assert found(dataset, "2018-11-30").empty


def test_a_handover_overlap_is_one_turnover_at_the_outgoing_holders_end() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-12-31")
        .tenure("chief_executive", "B", "2018-06-01")
        .build()
    )
    events = found(dataset, "2019-06-30")
    assert dates(events) == ["2018-12-31"]
    event = events.iloc[0]
    assert not event["implied_end"]
    assert (event["outgoing"], event["incoming"]) == ("A", "B")
    assert "implied end" not in event["reason"]
    assert "handover overlap" in event["reason"]


def test_an_interim_holder_is_part_of_one_transition_and_named() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Int", "2018-04-01", "2018-09-30", interim=True)
        .tenure("chief_executive", "B", "2018-10-01")
        .build()
    )
    events = found(dataset, "2019-06-30")
    assert dates(events) == ["2018-03-31"]
    event = events.iloc[0]
    assert (event["outgoing"], event["incoming"]) == ("A", "B")
    assert event["covered_by"] == "Int (interim, from 2018-04-01 to 2018-09-30)"
    assert "covered by Int" in event["reason"]


def test_a_planned_end_after_the_as_of_date_is_not_a_turnover_nor_an_implied_end() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2019-12-31")
        .partner("reach", "2015-01-01", "2019-12-31")
        .build()
    )
    assert found(dataset, "2019-06-30").empty
    assert dates(found(dataset, "2020-01-31")) == ["2019-12-31", "2019-12-31"]


# Case 4: a holder who returns after a vacancy.


def test_a_return_after_a_vacancy_keeps_the_departure_turnover() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2017-12-31")
        .tenure("chief_executive", "A", "2019-01-01")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2018-06-30", "reversed")
        .status("c1", "2019-06-30", "in_force")
        .build()
    )
    for as_of in ("2018-12-31", "2020-12-31"):
        events = found(dataset, as_of)
        assert dates(events) == ["2017-12-31"], as_of
        assert summary_of(dataset, "c1", as_of) == "reversed_after_turnover"
    assert "returned on 2019-01-01" in found(dataset, "2020-12-31").iloc[0]["reason"]


# Case 5: planned end dates and the default as-of date.


def test_planned_end_dates_do_not_push_the_default_as_of_date_into_the_future() -> None:
    dataset = (
        Scenario("northdale")
        .partner("reach", "2015-01-01", "2030-03-31")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2025-06-30", "in_force")
        .build()
    )
    as_of = as_of_dates(dataset, Parameters(), today=dt.date(2026, 12, 1))
    assert as_of["northdale"] == pd.Timestamp("2025-06-30")
    result = analyse(dataset, Parameters(), today=dt.date(2026, 12, 1))
    assert result.turnovers.empty


def test_the_default_as_of_date_follows_today() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2027-03-31")
        .tenure("chief_executive", "B", "2027-04-01")
        .build()
    )
    early = as_of_dates(dataset, Parameters(), today=dt.date(2026, 12, 1))
    later = as_of_dates(dataset, Parameters(), today=dt.date(2027, 6, 1))
    assert early["northdale"] == pd.Timestamp("2015-01-01")
    assert later["northdale"] == pd.Timestamp("2027-04-01")


def test_the_at_risk_list_does_not_call_a_role_vacant_while_its_holder_is_in_post() -> None:
    from tracker.analysis.risk import institutions_at_risk

    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2020-12-31", shared=True)
        .tenure("chief_executive", "Co", "2016-01-01", "2017-06-30", shared=True)
        .build()
    )
    as_of = pd.Series([pd.Timestamp("2018-06-30")], index=["northdale"])
    risk = institutions_at_risk(dataset["leadership"], dataset["diagnostics"], as_of)
    reasons = " ".join(reason for row in risk["reasons"] for reason in row)
    assert "vacant" not in reasons
    assert "A's tenure is due to end on 2020-12-31" in reasons


# Case 6: the phase `later`.


def later_candidate() -> Scenario:
    return (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01", "2020-03-31")
        .tenure("chief_executive", "C", "2020-04-01")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2019-06-30", "in_force")
        .costly_reversal("d1", "2019-01-01")
    )


def phase_of(scenario: Scenario, as_of: str = "2022-06-30") -> tuple[str, str]:
    result = analyse(scenario.build(), Parameters(as_of=dt.date.fromisoformat(as_of)))
    item = result.institution("northdale")
    return item.phase.phase, item.phase.explanation


def test_later_names_the_change_and_the_turnover_that_meet_the_criterion() -> None:
    phase, explanation = phase_of(later_candidate().status("c1", "2021-06-30", "in_force"))
    assert phase == "later"
    assert "change c1 persisted through the chief_executive turnover on 2018-03-31" in (explanation)


def test_not_later_when_the_only_tested_change_was_reversed_after_a_later_turnover() -> None:
    phase, _ = phase_of(
        later_candidate()
        .status("c1", "2020-09-30", "reversed")
        .status("c1", "2021-06-30", "in_force")
    )
    assert phase == "middle"


def test_a_weakened_change_counts_for_middle_only_and_is_named() -> None:
    scenario = later_candidate().status("c1", "2021-06-30", "weakened")
    phase, explanation = phase_of(scenario)
    assert phase == "middle"
    assert "c1 is recorded as weakened" in explanation


# Case 12: reversed after the window, later re-adopted.


def test_unconfirmed_after_a_reversal_beyond_the_window_says_what_is_missing() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2019-06-30", "reversed")
        .status("c1", "2020-06-30", "in_force")
        .build()
    )
    result = analyse(dataset, Parameters(as_of=dt.date(2021, 1, 1)))
    (test,) = result.change_tests.itertuples()
    assert test.verdict == "unconfirmed"
    assert "latest status record is 'in_force'" not in test.reason
    assert "dated on or after 2019-03-31 and before 2019-06-30" in test.reason


# Case 11: a zero pre-turnover mean.


def zero_exclusions(tolerance: float | None) -> Dataset:
    scenario = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .indicator("exclusions", higher_is_better=False)
        .values("exclusions", "2017Q1", [0, 0, 0, 0, 0, 0.2, 0.1, 0.1, 0.2])
    )
    dataset = scenario.build()
    if tolerance is not None:
        frames = dict(dataset.frames)
        frames["indicators"] = frames["indicators"].assign(tolerance=tolerance)
        dataset = Dataset(frames)
    return dataset


def test_a_zero_pre_mean_without_a_tolerance_names_the_reason_not_declined() -> None:
    result = analyse(zero_exclusions(None), Parameters(as_of=dt.date(2019, 6, 30)))
    item = result.institution("northdale")
    (test,) = item.indicators[0].tests
    assert test.verdict == "insufficient_data"
    assert test.reason == (
        "Cannot be judged: mean 0 over 4 values before and 0.15 over 4 after the "
        "chief_executive turnover on 2018-03-31: a rise of 0.15. The pre-turnover mean is 0, "
        "so a tolerance of 10% of |pre mean| is 0 and any rise would read as a decline. "
        "Declare a tolerance for this indicator (the tolerance column of indicators.csv, in "
        "its unit) to judge it."
    )


def test_a_zero_earliest_mean_without_a_tolerance_is_not_counted_as_practice_change() -> None:
    result = analyse(zero_exclusions(None), Parameters(as_of=dt.date(2019, 6, 30)))
    (practice,) = result.institution("northdale").practice
    assert not practice.improved
    assert practice.reason == (
        "exclusions: mean 0.15 over the latest 4 values against 0 over the earliest 4 (lower "
        "is better): the earliest mean is 0, so a tolerance of 10% of it is 0 and cannot tell "
        "an improvement from noise; not counted as practice change until a tolerance is "
        "declared for this indicator (the tolerance column of indicators.csv, in its unit)."
    )


def test_a_declared_absolute_tolerance_judges_a_zero_pre_mean() -> None:
    held = analyse(zero_exclusions(0.5), Parameters(as_of=dt.date(2019, 6, 30)))
    assert list(held.indicator_tests["verdict"]) == ["held"]
    declined = analyse(zero_exclusions(0.05), Parameters(as_of=dt.date(2019, 6, 30)))
    assert list(declined.indicator_tests["verdict"]) == ["declined"]
    (indicator,) = declined.institution("northdale").indicators
    assert indicator.rule.endswith(
        "a rise of more than 0.05 (the tolerance declared for this indicator, in its unit) "
        "counts as a decline."
    )
    assert indicator.tests[0].reason.endswith(": a rise of 0.15, more than the tolerance of 0.05.")


# Parent institutions: off by default, a parameter echoed with the others.


def trust_and_school() -> Dataset:
    from tests.builders import combine

    trust = (
        Scenario("trust", kind="school")
        .tenure("chief_executive", "T1", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "T2", "2018-04-01")
    )
    school = Scenario("school-a", kind="school").change("c1", adopted="2016-01-01")
    school.rows["institutions"][0]["parent"] = "trust"
    return combine(trust, school)


def test_a_parents_turnover_does_not_test_a_member_schools_changes_by_default() -> None:
    result = analyse(trust_and_school(), Parameters(as_of=dt.date(2020, 1, 1)))
    assert result.turnovers[result.turnovers["institution"] == "school-a"].empty
    assert result.to_json()["parameters"]["parent_turnovers"] is False


def test_with_parent_turnovers_on_the_parents_turnover_tests_the_school() -> None:
    params = Parameters(as_of=dt.date(2020, 1, 1), parent_turnovers=True)
    result = analyse(trust_and_school(), params)
    school = result.turnovers[result.turnovers["institution"] == "school-a"]
    assert list(school["role"]) == ["chief_executive of parent trust"]
    tests = result.change_tests
    assert list(tests["turnover_label"]) == [
        "the chief_executive of parent trust turnover on 2018-03-31"
    ]
    assert result.to_json()["parameters"]["parent_turnovers"] is True


def test_a_member_analysed_alone_still_sees_its_parents_turnovers() -> None:
    params = Parameters(as_of=dt.date(2020, 1, 1), parent_turnovers=True)
    result = analyse(trust_and_school(), params, institutions=["school-a"])
    assert list(result.turnovers["institution"]) == ["school-a"]
