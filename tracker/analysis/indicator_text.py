"""The plain-words reasons of indicator tests and practice change, one row at a time.

The verdicts are computed column-wise in `indicators`; the sentences are rendered from a row
of its frames. At national scale there are millions of indicator tests and nobody reads them
all, so `analyse` renders a sentence only when a result object is built (one institution, a
report, the JSON output); `indicators.indicator_tests(with_reasons=True)` renders them all.

What every test of an indicator shares is said once, where it is shared: the indicator's rule
(`indicator_rule`: its direction, the quarters compared, the values needed, how the tolerance
is set) once per indicator, and the quarters a turnover's tests compare
(`compared_quarters`) once per turnover. A test's reason says what is its own: its verdict,
both means with their counts, the turnover, the change and the tolerance it was held to. The
special cases (too few values, a pre-turnover mean of 0 with no declared tolerance, an
earliest mean of 0) are explained in full in the reason itself.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from functools import lru_cache
from typing import Any

from tracker.analysis.params import Parameters
from tracker.periods import period_from_index, period_index

Row = Mapping[Hashable, Any]

_DECLARE = (
    "Declare a tolerance for this indicator (the tolerance column of indicators.csv, in its "
    "unit) to judge it."
)


def shown(number: float | None) -> str:
    """A number as a sentence shows it: four significant figures, "none" when missing."""
    if number is None or math.isnan(number):
        return "none"
    return f"{number:.4g}"


def values(n: int) -> str:
    """"1 value", "4 values"."""
    return "1 value" if n == 1 else f"{n} values"


def compared_quarters(turnover_period: str, params: Parameters) -> str:
    """E.g. "2017Q1 to 2017Q4 against 2018Q2 to 2019Q1 (its own quarter, 2018Q1, is left out)"."""
    return _compared_quarters(turnover_period, params.pre_quarters, params.post_quarters)


# Few distinct quarters, many turnovers: each text is built once.
@lru_cache(maxsize=4096)
def _compared_quarters(turnover_period: str, pre_quarters: int, post_quarters: int) -> str:
    quarter = period_index(turnover_period)
    return (
        f"{period_from_index(quarter - pre_quarters)} to {period_from_index(quarter - 1)} "
        f"against {period_from_index(quarter + 1)} to "
        f"{period_from_index(quarter + post_quarters)} (its own quarter, {turnover_period}, "
        "is left out)"
    )


def indicator_rule(
    *, higher_is_better: bool, tolerance: float | None, params: Parameters
) -> str:
    """The rule every turnover test of an indicator follows, said once per indicator."""
    declared = None if tolerance is None or math.isnan(tolerance) else float(tolerance)
    return _indicator_rule(
        higher_is_better,
        declared,
        params.pre_quarters,
        params.post_quarters,
        params.min_values_per_side,
        params.indicator_tolerance,
    )


@lru_cache(maxsize=1024)
def _indicator_rule(
    higher: bool,
    tolerance: float | None,
    pre_quarters: int,
    post_quarters: int,
    min_values: int,
    relative: float,
) -> str:
    worse = "fall" if higher else "rise"
    allowed = (
        f"{shown(tolerance)} (the tolerance declared for this indicator, in its unit)"
        if tolerance is not None
        else f"{relative:.0%} of |pre mean|"
    )
    return (
        f"{'Higher' if higher else 'Lower'} is better. A turnover's test compares the mean of "
        f"the {pre_quarters} quarters before the turnover's quarter with the mean of the "
        f"{post_quarters} after it (that quarter left out), with at least {min_values} values "
        f"on each side; a {worse} of more than {allowed} counts as a decline."
    )


def _sides(row: Row) -> str:
    """Both means with their counts, e.g. "mean 61 over 4 values before and 56.5 over 4 after
    the chief_executive turnover on 2018-03-31"."""
    n_pre, n_post = int(row["n_pre"]), int(row["n_post"])
    pre, post = shown(row["pre_mean"]), shown(row["post_mean"])
    if n_pre and n_post:
        both = f"mean {pre} over {values(n_pre)} before and {post} over {n_post} after"
    elif n_pre:
        both = f"mean {pre} over {values(n_pre)} before and no value after"
    elif n_post:
        both = f"no value before and mean {post} over {values(n_post)} after"
    else:
        both = "no value before or after"
    return f"{both} {row['turnover_label']}"


def _movement(row: Row) -> tuple[str, bool]:
    """The change in words ("a fall of 4.5") and whether it is a worsening."""
    change, pre, post = row["change"], row["pre_mean"], row["post_mean"]
    # Means of decimal data carry float noise; a difference this small is no change.
    if abs(change) <= 1e-9 * max(1.0, abs(pre), abs(post)):
        return "no change", False
    higher = bool(row["higher_is_better"])
    words = f"a {'rise' if change > 0 else 'fall'} of {shown(abs(change))}"
    return words, (change < 0) == higher


def indicator_test_reason(row: Row, params: Parameters) -> str:
    """The reason of one row of `indicators.indicator_tests`: what this test found.

    Names both means with their counts, the turnover, the change and the tolerance; the rule
    they follow is the indicator's (`indicator_rule`).
    """
    sides = _sides(row)
    if row["verdict"] == "insufficient_data" and min(row["n_pre"], row["n_post"]) < (
        params.min_values_per_side
    ):
        return (
            f"Insufficient data: {sides}; at least {params.min_values_per_side} values are "
            "needed on each side."
        )
    movement, worse = _movement(row)
    if row["verdict"] == "insufficient_data":
        rise = "fall" if row["higher_is_better"] else "rise"
        return (
            f"Cannot be judged: {sides}: {movement}. The pre-turnover mean is 0, so a "
            f"tolerance of {params.indicator_tolerance:.0%} of |pre mean| is 0 and any {rise} "
            f"would read as a decline. {_DECLARE}"
        )
    tolerance = shown(row["threshold"])
    if row["verdict"] == "declined":
        return f"Declined: {sides}: {movement}, more than the tolerance of {tolerance}."
    if worse:
        return f"Held: {sides}: {movement}, within the tolerance of {tolerance}."
    return f"Held: {sides}: {movement}{', an improvement' if movement != 'no change' else ''}."


def practice_reason(row: Row, params: Parameters) -> str:
    """The reason of one row of `indicators.practice_change`."""
    indicator = row["indicator"]
    if row["n_early"] < params.min_values_per_side:
        return (
            f"{indicator}: {values(int(row['n_values']))} so far; at least "
            f"{2 * params.min_values_per_side} are needed to compare the earliest with the "
            "latest."
        )
    better = "higher" if row["higher_is_better"] else "lower"
    early = row["early_mean"]
    compared = (
        f"{indicator}: mean {shown(row['late_mean'])} over the latest "
        f"{values(int(row['n_late']))} against {shown(early)} over the earliest "
        f"{int(row['n_early'])} ({better} is better)"
    )
    declared = _declared(row)
    if not declared and early is not None and not math.isnan(early) and abs(early) < 1e-9:
        return (
            f"{compared}: the earliest mean is 0, so a tolerance of "
            f"{params.indicator_tolerance:.0%} of it is 0 and cannot tell an improvement from "
            "noise; not counted as practice change until a tolerance is declared for this "
            "indicator (the tolerance column of indicators.csv, in its unit)."
        )
    basis = (
        "declared for this indicator"
        if declared
        else f"{params.indicator_tolerance:.0%} of |earliest mean|"
    )
    verdict = "improved beyond" if row["improved"] else "not improved beyond"
    return f"{compared}: {verdict} the tolerance of {shown(row['threshold'])} ({basis})."


def _declared(row: Row) -> bool:
    value = row.get("tolerance")
    return value is not None and not (isinstance(value, float) and math.isnan(value))
