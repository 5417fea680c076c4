"""Persistence of structural changes through turnovers (product.md, "Analysis rules")."""

from __future__ import annotations

import datetime as dt

from tests.builders import Scenario
from tracker.analysis.params import Parameters
from tracker.analysis.persistence import UNTESTED_SENTENCE
from tracker.analysis.results import ChangeResult, ChangeTest
from tracker.analysis.run import analyse

# Ann leaves on 31 March 2018: the 12-month window ends on 31 March 2019.
TURNOVER = "2018-03-31"
WINDOW_END = "2019-03-31"


def ceo_leaves(*, as_of: str = "2021-12-31") -> Scenario:
    """Northdale: a hiring change adopted in 2016, the chief executive leaving in 2018."""
    return (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", TURNOVER)
        .tenure("chief_executive", "Bob", "2018-04-01")
        .change("c1", adopted="2016-01-01")
        # A dated record that fixes the default as-of date for every test here.
        .decision("as-of-marker", as_of)
    )


def change(
    scenario: Scenario,
    key: str = "c1",
    *,
    as_of: dt.date | None = None,
    window_months: int = 12,
) -> ChangeResult:
    params = Parameters(as_of=as_of, window_months=window_months)
    result = analyse(scenario.build(), params)
    found = [item for item in result.institution("northdale").changes if item.change == key]
    assert found, f"change {key} is not in the result"
    return found[0]


def only_test(
    scenario: Scenario, *, as_of: dt.date | None = None, window_months: int = 12
) -> ChangeTest:
    tests = change(scenario, as_of=as_of, window_months=window_months).tests
    assert len(tests) == 1
    return tests[0]


def test_change_reversed_within_window_after_ceo_left() -> None:
    test = only_test(ceo_leaves().status("c1", "2018-10-01", "reversed"))
    assert test.verdict == "reversed"
    assert test.decided_by_date == dt.date(2018, 10, 1)
    assert "2018-10-01" in test.reason and "'reversed'" in test.reason
    assert WINDOW_END in test.reason


def test_superseded_within_window_counts_as_reversed() -> None:
    assert only_test(ceo_leaves().status("c1", "2018-10-01", "superseded")).verdict == "reversed"


def test_reversal_exactly_at_the_end_of_the_window_is_reversed() -> None:
    test = only_test(ceo_leaves().status("c1", WINDOW_END, "reversed"))
    assert test.verdict == "reversed"
    assert test.window_end == dt.date(2019, 3, 31)


def test_change_reversed_on_the_turnover_date_is_not_tested_by_it() -> None:
    result = change(ceo_leaves().status("c1", TURNOVER, "reversed"))
    assert result.tests == ()
    assert result.summary == "untested"


def test_change_reversed_before_the_turnover_is_not_tested_by_it() -> None:
    result = change(ceo_leaves().status("c1", "2017-05-01", "reversed"))
    assert result.tests == ()
    assert result.status == "reversed"


def test_change_adopted_on_the_turnover_date_is_not_tested_by_it() -> None:
    scenario = ceo_leaves().change("c2", adopted=TURNOVER)
    assert change(scenario, "c2").tests == ()


def test_confirmation_exactly_at_the_end_of_the_window_is_persisted() -> None:
    test = only_test(ceo_leaves().status("c1", WINDOW_END, "in_force"))
    assert test.verdict == "persisted"
    assert not test.weakened
    assert test.decided_by_date == dt.date(2019, 3, 31)
    assert f"'in_force' recorded on {WINDOW_END}" in test.reason


def test_status_one_day_before_the_end_of_the_window_is_not_a_confirmation() -> None:
    test = only_test(ceo_leaves().status("c1", "2019-03-30", "in_force"))
    assert test.verdict == "unconfirmed"
    assert "asked to confirm" in test.reason


def test_weakened_confirmation_is_persisted_and_flagged_weakened() -> None:
    test = only_test(ceo_leaves().status("c1", "2019-06-01", "weakened"))
    assert (test.verdict, test.weakened) == ("persisted", True)
    assert "weakened" in test.reason


def test_too_early_while_the_window_is_still_open_at_the_as_of_date() -> None:
    test = only_test(ceo_leaves(as_of="2019-03-30"))
    assert test.verdict == "too_early"
    assert WINDOW_END in test.reason and "2019-03-30" in test.reason


def test_reversal_before_the_as_of_date_inside_an_open_window_is_reversed() -> None:
    scenario = ceo_leaves(as_of="2018-12-31").status("c1", "2018-07-01", "reversed")
    assert only_test(scenario).verdict == "reversed"


def test_unconfirmed_when_the_window_passed_and_nothing_confirms_it() -> None:
    test = only_test(ceo_leaves())
    assert test.verdict == "unconfirmed"
    assert test.decided_by_date is None
    assert WINDOW_END in test.reason


def test_reversal_after_the_window_is_not_a_confirmation() -> None:
    test = only_test(ceo_leaves().status("c1", "2019-04-01", "reversed"))
    assert test.verdict == "unconfirmed"
    assert "'reversed' on 2019-04-01" in test.reason


def test_records_after_the_as_of_date_are_not_used() -> None:
    scenario = (
        ceo_leaves()
        .status("c1", "2018-10-01", "reversed")  # after the as-of date below
        .status("c1", "2019-06-01", "in_force")
    )
    test = only_test(scenario, as_of=dt.date(2018, 9, 30))
    assert test.verdict == "too_early"
    assert change(scenario, as_of=dt.date(2018, 9, 30)).status == "in_force"


def test_confirmation_after_the_as_of_date_does_not_confirm() -> None:
    scenario = ceo_leaves().status("c1", "2020-01-01", "in_force")
    assert only_test(scenario, as_of=dt.date(2019, 12, 31)).verdict == "unconfirmed"
    assert only_test(scenario, as_of=dt.date(2020, 1, 1)).verdict == "persisted"


def test_the_window_length_is_a_parameter() -> None:
    scenario = ceo_leaves().status("c1", "2018-12-01", "in_force")
    assert only_test(scenario).verdict == "unconfirmed"
    test = only_test(scenario, window_months=6)
    assert (test.verdict, test.window_end) == ("persisted", dt.date(2018, 9, 30))


def test_two_turnovers_with_different_verdicts_summarise_as_reversed_after_turnover() -> None:
    scenario = (
        ceo_leaves()
        .status("c1", "2019-06-01", "in_force")  # confirms it after Ann left
        .partner("civic-lab", "2016-01-01", "2020-06-30")
        .status("c1", "2020-12-01", "reversed")  # reversed after the partner withdrew
    )
    result = change(scenario)
    assert [test.verdict for test in result.tests] == ["persisted", "reversed"]
    assert result.summary == "reversed_after_turnover"
    assert result.status == "reversed"


def test_persisted_through_one_turnover_and_too_early_for_the_next_summarises_as_persisted() -> (
    None
):
    scenario = (
        ceo_leaves(as_of="2020-12-31")
        .status("c1", "2019-06-01", "in_force")
        .partner("civic-lab", "2016-01-01", "2020-06-30")
    )
    result = change(scenario)
    assert [test.verdict for test in result.tests] == ["persisted", "too_early"]
    assert result.summary == "persisted"


def test_unconfirmed_takes_precedence_over_too_early_in_the_summary() -> None:
    scenario = ceo_leaves(as_of="2020-12-31").partner("civic-lab", "2016-01-01", "2020-06-30")
    result = change(scenario)
    assert [test.verdict for test in result.tests] == ["unconfirmed", "too_early"]
    assert result.summary == "unconfirmed"


def test_untested_change_says_untested_persistence_is_not_persistence() -> None:
    scenario = Scenario("northdale").change("c1", adopted="2016-01-01").decision("d", "2020-01-01")
    result = change(scenario)
    assert result.summary == "untested"
    assert UNTESTED_SENTENCE == "Untested persistence is not persistence."
    assert UNTESTED_SENTENCE in result.summary_reason


def test_adoption_puts_a_change_in_force_until_a_status_record_changes_it() -> None:
    scenario = ceo_leaves().status("c1", "2019-01-01", "weakened")
    assert change(scenario, as_of=dt.date(2018, 12, 31)).status == "in_force"
    assert change(scenario).status == "weakened"


def test_a_change_adopted_after_the_as_of_date_is_not_in_the_result() -> None:
    scenario = ceo_leaves().change("late", adopted="2022-06-01")
    result = analyse(scenario.build(), Parameters(as_of=dt.date(2022, 1, 1)))
    keys = [item.change for item in result.institution("northdale").changes]
    assert keys == ["c1"]


def test_a_change_reinstated_before_the_turnover_is_tested_by_it() -> None:
    # Reversed in 2016, reinstated in 2017: in force when Ann left, so her leaving tests it.
    scenario = (
        ceo_leaves()
        .status("c1", "2016-06-01", "reversed")
        .status("c1", "2017-01-01", "in_force")
        .status("c1", "2019-04-01", "in_force")
    )
    assert only_test(scenario).verdict == "persisted"
