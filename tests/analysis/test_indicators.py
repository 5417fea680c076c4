"""Practice indicators through turnovers, and practice change (product.md, "Analysis rules")."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.builders import Scenario
from tracker.analysis.asof import as_of_dates
from tracker.analysis.indicator_text import indicator_rule
from tracker.analysis.indicators import indicator_tests, practice_change, visible_values
from tracker.analysis.params import Parameters
from tracker.analysis.turnovers import turnovers
from tracker.dataset import Dataset

# Ann leaves on 31 March 2018: the quarter of the turnover is 2018Q1, the four quarters before
# are 2017Q1-2017Q4 and the four after are 2018Q2-2019Q1.


def ceo_leaves(*, higher_is_better: bool = True) -> Scenario:
    return (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Bob", "2018-04-01")
        .indicator("trust", higher_is_better=higher_is_better)
    )


def comparisons(dataset: Dataset, **params: object) -> pd.DataFrame:
    parameters = Parameters(**params)  # type: ignore[arg-type]
    as_of = as_of_dates(dataset, parameters)
    return indicator_tests(
        visible=visible_values(dataset["indicator_values"], as_of),
        indicators=dataset["indicators"],
        turnovers=turnovers(dataset, as_of),
        params=parameters,
    )


def only(dataset: Dataset, **params: object) -> pd.Series:
    found = comparisons(dataset, **params)
    assert len(found) == 1
    return found.iloc[0]


Values = list[float | None]


def around(pre: Values, turnover_quarter: float | None, post: Values, **kwargs: bool) -> Dataset:
    """Trust from 2017Q1: four quarters before, the quarter of the turnover, four after."""
    return ceo_leaves(**kwargs).values("trust", "2017Q1", [*pre, turnover_quarter, *post]).build()


def test_indicator_held_when_the_post_mean_is_within_the_tolerance() -> None:
    dataset = around([60, 62, 61, 61], 0, [57, 56, 56, 57])
    test = only(dataset)
    assert (test["pre_mean"], test["post_mean"]) == (61.0, 56.5)
    assert (test["n_pre"], test["n_post"]) == (4, 4)
    assert test["threshold"] == pytest.approx(6.1)
    assert test["change"] == pytest.approx(-4.5)
    assert test["verdict"] == "held"
    assert test["reason"] == (
        "Held: mean 61 over 4 values before and 56.5 over 4 after the chief_executive turnover "
        "on 2018-03-31: a fall of 4.5, within the tolerance of 6.1."
    )


def test_indicator_declined_when_worse_than_the_tolerance_allows() -> None:
    dataset = around([60, 60, 60, 60], 60, [50, 52, 54, 53])
    test = only(dataset)
    assert test["verdict"] == "declined"
    assert test["reason"] == (
        "Declined: mean 60 over 4 values before and 52.25 over 4 after the chief_executive "
        "turnover on 2018-03-31: a fall of 7.75, more than the tolerance of 6."
    )


def test_a_reason_says_what_is_its_own_and_leaves_the_shared_rule_to_the_indicator() -> None:
    # The rule (direction, quarters compared, how the tolerance is set) is the indicator's,
    # said once (`indicator_rule`); a test's reason names its means, counts, change and
    # tolerance only.
    dataset = around([60, 60, 60, 60], 60, [50, 52, 54, 53])
    reason = only(dataset)["reason"]
    for shared in ("is better", "10%", "|pre mean|", "counts as a decline", "2017Q1", "left out"):
        assert shared not in reason


def test_an_improvement_is_named_as_one() -> None:
    dataset = around([10, 10, 10, 10], None, [11, 11, 11, 11])
    assert only(dataset)["reason"] == (
        "Held: mean 10 over 4 values before and 11 over 4 after the chief_executive turnover "
        "on 2018-03-31: a rise of 1, an improvement."
    )
    lower = around([10, 10, 10, 10], None, [9, 9, 9, 9], higher_is_better=False)
    assert only(lower)["reason"].endswith(": a fall of 1, an improvement.")
    same = around([10, 10, 10, 10], None, [10, 10, 10, 10])
    assert only(same)["reason"].endswith(": no change.")


def test_exactly_at_the_tolerance_is_held() -> None:
    dataset = ceo_leaves().values("trust", "2017Q3", [10, 10, None, 9, 9]).build()
    test = only(dataset)
    assert (test["pre_mean"], test["post_mean"]) == (10.0, 9.0)
    assert test["verdict"] == "held"


def test_float_noise_at_the_tolerance_is_still_held() -> None:
    # 0.15 less 10% is 0.135, but in floating point the fall is a hair above the threshold.
    dataset = ceo_leaves().values("trust", "2017Q3", [0.1, 0.2, None, 0.135, 0.135]).build()
    test = only(dataset)
    assert (test["post_mean"] - test["pre_mean"]) * -1 > test["threshold"]  # the noise is real
    assert test["verdict"] == "held"


def test_direction_aware_a_rise_is_a_decline_when_lower_is_better() -> None:
    dataset = around([10, 10, 10, 10], None, [12, 12, 12, 12], higher_is_better=False)
    assert only(dataset)["verdict"] == "declined"
    assert only(dataset)["reason"].endswith(": a rise of 2, more than the tolerance of 1.")


def test_direction_aware_a_fall_is_not_a_decline_when_lower_is_better() -> None:
    dataset = around([10, 10, 10, 10], None, [5, 5, 5, 5], higher_is_better=False)
    assert only(dataset)["verdict"] == "held"


def test_the_quarter_of_the_turnover_is_left_out() -> None:
    dataset = around([60, 60, 60, 60], 0, [60, 60, 60, 60])
    test = only(dataset)
    assert (test["pre_mean"], test["post_mean"]) == (60.0, 60.0)
    assert test["turnover_period"] == "2018Q1"


def test_only_four_quarters_each_side_are_compared() -> None:
    # 2016Q4 (five quarters before) and 2019Q2 (five after) are outside the comparison.
    values = [1000.0, *[60.0] * 4, None, *[60.0] * 4, -1000.0]
    dataset = ceo_leaves().values("trust", "2016Q4", values).build()
    test = only(dataset)
    assert (test["pre_mean"], test["post_mean"], test["n_pre"], test["n_post"]) == (60, 60, 4, 4)


def test_fewer_than_two_values_on_a_side_is_insufficient_data() -> None:
    dataset = around([None, None, None, 60], None, [60, 61, 62, 63])
    test = only(dataset)
    assert test["verdict"] == "insufficient_data"
    assert (test["n_pre"], test["n_post"]) == (1, 4)
    assert pd.isna(test["change"]) and pd.isna(test["threshold"])
    assert test["reason"] == (
        "Insufficient data: mean 60 over 1 value before and 61.5 over 4 after the "
        "chief_executive turnover on 2018-03-31; at least 2 values are needed on each side."
    )


def test_no_value_on_a_side_is_said_in_words() -> None:
    dataset = around([None, None, None, None], None, [60, 61, 62, 63])
    assert only(dataset)["reason"] == (
        "Insufficient data: no value before and mean 61.5 over 4 values after the "
        "chief_executive turnover on 2018-03-31; at least 2 values are needed on each side."
    )


def test_the_rule_of_an_indicator_names_its_direction_quarters_and_tolerance() -> None:
    assert indicator_rule(higher_is_better=True, tolerance=None, params=Parameters()) == (
        "Higher is better. A turnover's test compares the mean of the 4 quarters before the "
        "turnover's quarter with the mean of the 4 after it (that quarter left out), with at "
        "least 2 values on each side; a fall of more than 10% of |pre mean| counts as a "
        "decline."
    )
    declared = indicator_rule(
        higher_is_better=False, tolerance=0.5, params=Parameters(pre_quarters=3)
    )
    assert declared.startswith("Lower is better.")
    assert "the 3 quarters before" in declared
    assert declared.endswith(
        "a rise of more than 0.5 (the tolerance declared for this indicator, in its unit) "
        "counts as a decline."
    )
    # A missing tolerance arrives as NaN from the frames.
    assert indicator_rule(
        higher_is_better=True, tolerance=float("nan"), params=Parameters()
    ) == indicator_rule(higher_is_better=True, tolerance=None, params=Parameters())


def test_two_values_on_each_side_are_enough() -> None:
    dataset = ceo_leaves().values("trust", "2017Q3", [60, 60, None, 60, 60]).build()
    assert only(dataset)["verdict"] == "held"


def test_values_of_quarters_ending_after_the_as_of_date_are_not_used() -> None:
    dataset = around([60, 60, 60, 60], None, [60, 60, 10, 10])
    # 2018Q4 ends on 31 December 2018: as of 30 December only 2018Q2 and 2018Q3 count.
    test = only(dataset, as_of=dt.date(2018, 12, 30))
    assert (test["n_post"], test["post_mean"], test["verdict"]) == (2, 60.0, "held")
    assert only(dataset, as_of=dt.date(2018, 12, 31))["n_post"] == 3


def test_each_turnover_is_compared_for_each_indicator() -> None:
    dataset = (
        ceo_leaves()
        .partner("civic-lab", "2016-01-01", "2019-06-30")
        .indicator("staff_turnover", higher_is_better=False)
        .values("trust", "2017Q1", [60] * 12)
        .values("staff_turnover", "2017Q1", [10] * 12)
        .build()
    )
    found = comparisons(dataset)
    assert sorted(zip(found["indicator"], found["turnover_kind"], strict=True)) == [
        ("staff_turnover", "leadership"),
        ("staff_turnover", "partner_withdrawal"),
        ("trust", "leadership"),
        ("trust", "partner_withdrawal"),
    ]


def practice_of(dataset: Dataset, **params: object) -> pd.Series:
    parameters = Parameters(**params)  # type: ignore[arg-type]
    as_of = as_of_dates(dataset, parameters)
    found = practice_change(
        visible=visible_values(dataset["indicator_values"], as_of),
        indicators=dataset["indicators"],
        params=parameters,
    )
    assert len(found) == 1
    return found.iloc[0]


def test_practice_change_when_the_latest_values_beat_the_earliest_beyond_the_tolerance() -> None:
    values = [50, 50, 50, 50, 52, 54, 56, 56, 56, 56]
    dataset = ceo_leaves().values("trust", "2016Q1", values).build()
    found = practice_of(dataset)
    assert (found["early_mean"], found["late_mean"]) == (50.0, 56.0)
    assert found["improved"]
    assert found["reason"] == (
        "trust: mean 56 over the latest 4 values against 50 over the earliest 4 (higher is "
        "better): improved beyond the tolerance of 5 (10% of |earliest mean|)."
    )


def test_no_practice_change_within_the_tolerance() -> None:
    dataset = ceo_leaves().values("trust", "2016Q1", [50, 50, 50, 50, 55, 55, 55, 55]).build()
    # 55 is exactly 10% better than 50: not *beyond* the tolerance.
    found = practice_of(dataset)
    assert not found["improved"]
    assert found["reason"].endswith(
        "(higher is better): not improved beyond the tolerance of 5 (10% of |earliest mean|)."
    )


def test_practice_change_is_direction_aware() -> None:
    values = [20, 20, 20, 20, 10, 10, 10, 10]
    dataset = ceo_leaves(higher_is_better=False).values("trust", "2016Q1", values).build()
    assert practice_of(dataset)["improved"]


def test_practice_change_compares_halves_when_the_record_is_short() -> None:
    dataset = ceo_leaves().values("trust", "2016Q1", [50, 50, 70, 70, 70]).build()
    found = practice_of(dataset)
    assert (found["n_early"], found["n_late"]) == (2, 2)
    assert found["improved"]


def test_practice_change_needs_enough_values_at_each_end() -> None:
    dataset = ceo_leaves().values("trust", "2016Q1", [50, 90, 90]).build()
    found = practice_of(dataset)
    assert found["n_early"] == 1
    assert not found["improved"]
    assert found["reason"] == (
        "trust: 3 values so far; at least 4 are needed to compare the earliest with the latest."
    )
