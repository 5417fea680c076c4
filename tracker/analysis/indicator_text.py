"""The plain-words reasons of indicator tests and practice change, one row at a time.

The verdicts are computed column-wise in `indicators`; the sentences are rendered from a row
of its frames. At national scale there are millions of indicator tests and nobody reads them
all, so `analyse` renders a sentence only when a result object is built (one institution, a
report, the JSON output); `indicators.indicator_tests(with_reasons=True)` renders them all.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from functools import lru_cache
from typing import Any

from tracker.analysis.params import Parameters
from tracker.periods import period_from_index, period_index

Row = Mapping[Hashable, Any]


def shown(number: float | None) -> str:
    """A number as a sentence shows it: four significant figures, "none" when missing."""
    if number is None or math.isnan(number):
        return "none"
    return f"{number:.4g}"


def compared_quarters(turnover_period: str, params: Parameters) -> str:
    """E.g. "(quarters 2017Q1 to 2017Q4 against 2018Q2 to 2019Q1; its own quarter 2018Q1 ...)"."""
    return _compared_quarters(turnover_period, params.pre_quarters, params.post_quarters)


# Few distinct quarters, many tests: each text is built once.
@lru_cache(maxsize=4096)
def _compared_quarters(turnover_period: str, pre_quarters: int, post_quarters: int) -> str:
    quarter = period_index(turnover_period)
    return (
        f"(quarters {period_from_index(quarter - pre_quarters)} to "
        f"{period_from_index(quarter - 1)} against {period_from_index(quarter + 1)} to "
        f"{period_from_index(quarter + post_quarters)}; its own quarter "
        f"{turnover_period} is left out)"
    )


def indicator_test_reason(row: Row, params: Parameters) -> str:
    """The reason of one row of `indicators.indicator_tests`, naming both means and the rule."""
    compared = (
        f"mean {shown(row['pre_mean'])} over {row['n_pre']} value(s) before and "
        f"{shown(row['post_mean'])} over {row['n_post']} after {row['turnover_label']} "
        f"{compared_quarters(str(row['turnover_period']), params)}"
    )
    if row["verdict"] == "insufficient_data" and min(row["n_pre"], row["n_post"]) < (
        params.min_values_per_side
    ):
        return (
            f"Insufficient data: {compared}; at least {params.min_values_per_side} values are "
            "needed on each side."
        )
    higher = bool(row["higher_is_better"])
    declared = _declared(row)
    basis = (
        "the tolerance declared for this indicator"
        if declared
        else f"{params.indicator_tolerance:.0%} of |pre mean|"
    )
    rule = (
        f"{'Higher' if higher else 'Lower'} is better; a {'fall' if higher else 'rise'} of "
        f"more than {shown(row['threshold'])} ({basis}) counts as a decline"
    )
    if row["verdict"] == "insufficient_data":
        return (
            f"Cannot be judged: {compared}. The pre-turnover mean is 0, so a tolerance of "
            f"{params.indicator_tolerance:.0%} of |pre mean| is 0 and any "
            f"{'fall' if higher else 'rise'} would read as a decline; the change was "
            f"{shown(row['change'])}. Declare a tolerance for this indicator (the tolerance "
            "column of indicators.csv, in its unit) to judge it."
        )
    if row["verdict"] == "held":
        return f"Held: {compared}. {rule}."
    return f"Declined: {compared}. {rule}, and the change was {shown(row['change'])}."


def practice_reason(row: Row, params: Parameters) -> str:
    """The reason of one row of `indicators.practice_change`."""
    indicator = row["indicator"]
    if row["n_early"] < params.min_values_per_side:
        return (
            f"{indicator}: {row['n_values']} value(s) so far; at least "
            f"{2 * params.min_values_per_side} are needed to compare the earliest with the "
            "latest."
        )
    better = "higher" if row["higher_is_better"] else "lower"
    verdict = "improved beyond the tolerance" if row["improved"] else "not beyond it"
    declared = _declared(row)
    early = row["early_mean"]
    if not declared and early is not None and not math.isnan(early) and abs(early) < 1e-9:
        return (
            f"{indicator}: mean of the latest {row['n_late']} value(s) "
            f"{shown(row['late_mean'])} against the earliest {row['n_early']} "
            f"{shown(early)} ({better} is better): the earliest mean is 0, so a tolerance of "
            f"{params.indicator_tolerance:.0%} of it is 0 and cannot tell an improvement from "
            "noise; not counted as practice change until a tolerance is declared for this "
            "indicator (the tolerance column of indicators.csv, in its unit)."
        )
    basis = (
        "the tolerance declared for this indicator"
        if declared
        else f"{params.indicator_tolerance:.0%} of |earliest mean|"
    )
    return (
        f"{indicator}: mean of the latest {row['n_late']} value(s) {shown(row['late_mean'])} "
        f"against the earliest {row['n_early']} {shown(early)} ({better} is better; "
        f"beyond the tolerance means better by more than {shown(row['threshold'])}, "
        f"{basis}): {verdict}."
    )


def _declared(row: Row) -> bool:
    value = row.get("tolerance")
    return value is not None and not (isinstance(value, float) and math.isnan(value))
