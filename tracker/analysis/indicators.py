"""Practice indicators through turnovers, and practice change over an institution's record.

Persistence through a turnover at T (product.md): compare the up to `pre_quarters` quarters
before the quarter of T with the `post_quarters` quarters after it; the quarter of T itself is
excluded (it mixes before and after). Only values of quarters ending on or before the as-of
date are used. Fewer than `min_values_per_side` values on either side: `insufficient_data`.
Otherwise `held` when the post mean is no worse than the pre mean by more than
`indicator_tolerance` × |pre mean| (worse is down when higher is better, up otherwise; exactly
at the tolerance is `held`), else `declined`.

Practice change (a criterion of the phase): an indicator *improved beyond the tolerance* when
the mean of its latest k values is better than the mean of its earliest k values by strictly
more than `indicator_tolerance` × |earliest mean|, direction-aware, where k is
`practice_quarters` or half the number of values if that is smaller (so the two ends never
share a value), and k must be at least `min_values_per_side`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.analysis.asof import quarter_indexes
from tracker.analysis.frames import none_for_missing
from tracker.analysis.params import Parameters
from tracker.periods import date_period_indexes

INDICATOR_TEST_COLUMNS = (
    "institution",
    "indicator",
    "higher_is_better",
    "turnover_kind",
    "role",
    "partner",
    "turnover_date",
    "turnover_label",
    "turnover_period",  # the quarter of the turnover, excluded from both sides
    "n_pre",
    "n_post",
    "pre_mean",
    "post_mean",
    "change",  # post_mean - pre_mean, as measured (not direction-adjusted)
    "threshold",  # the worsening allowed: tolerance × |pre_mean|
    "verdict",  # vocab.INDICATOR_VERDICTS
    "reason",
)

PRACTICE_COLUMNS = (
    "institution",
    "indicator",
    "higher_is_better",
    "n_values",
    "n_early",
    "n_late",
    "early_mean",
    "late_mean",
    "improvement",  # direction-adjusted: positive is better
    "threshold",
    "improved",
    "reason",
)


def _close_enough(*means: pd.Series) -> pd.Series:
    # Means of decimal data carry float noise (0.1 + 0.2 != 0.3); a difference this small is
    # treated as exactly at the tolerance.
    scale = pd.concat([mean.abs() for mean in means], axis=1).max(axis=1)
    return 1e-9 * scale.clip(lower=1.0)


def _period_text(indexes: pd.Series) -> pd.Series:
    return (indexes // 4).astype(str) + "Q" + (indexes % 4 + 1).astype(str)


def _number_text(values: pd.Series) -> pd.Series:
    return values.round(4).astype(str)


def _last_complete_quarter(as_of: pd.Series) -> pd.Series:
    """Per institution, the index of the last quarter that ends on or before the as-of date."""
    dates = as_of.dropna()
    index = date_period_indexes(dates)
    quarter_over = (dates + pd.Timedelta(days=1)).dt.month != dates.dt.month
    quarter_over &= dates.dt.month.isin((3, 6, 9, 12))
    return (index - (~quarter_over).astype(int)).astype("int64")


def visible_values(values: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Indicator values of quarters ending on or before the as-of date, with `quarter` index."""
    limit = values["institution"].map(_last_complete_quarter(as_of))
    quarter = quarter_indexes(values["period"])
    keep = (quarter <= limit).to_numpy()
    out = values.loc[keep, ["institution", "indicator", "period", "value"]]
    return out.assign(quarter=quarter[keep]).dropna(subset=["value"])


def higher_is_better(indicator: pd.Series, indicators: pd.DataFrame) -> pd.Series:
    """Whether higher is better for each indicator key in `indicator`.

    An indicator without a definition is read as higher-is-better, the common case.
    """
    flags = indicators.drop_duplicates("key").set_index("key")["higher_is_better"]
    return indicator.map(flags).astype("boolean").fillna(True).astype(bool)


def indicator_tests(
    *,
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    turnovers: pd.DataFrame,
    as_of: pd.Series,
    params: Parameters,
) -> pd.DataFrame:
    """Every indicator of each institution compared before and after each of its turnovers.

    One row per (institution, indicator with a value on or before as-of, turnover), columns
    `INDICATOR_TEST_COLUMNS`. See the module docstring for the exact rule.
    """
    visible = visible_values(values, as_of)
    events = turnovers.reset_index(drop=True).rename(
        columns={"kind": "turnover_kind", "date": "turnover_date", "label": "turnover_label"}
    )
    events["turnover_id"] = np.arange(len(events))
    events["turnover_quarter"] = date_period_indexes(events["turnover_date"]).astype("int64")

    # Each turnover becomes its pre and post quarters, then meets the values by quarter.
    offsets = np.r_[np.arange(-params.pre_quarters, 0), np.arange(1, params.post_quarters + 1)]
    expanded = pd.DataFrame(
        {
            "turnover_id": np.repeat(events["turnover_id"].to_numpy(), len(offsets)),
            "institution": np.repeat(events["institution"].to_numpy(), len(offsets)),
            "quarter": np.repeat(events["turnover_quarter"].to_numpy(), len(offsets))
            + np.tile(offsets, len(events)),
            "side": np.tile(np.where(offsets < 0, "pre", "post"), len(events)),
        }
    )
    around = expanded.merge(
        visible[["institution", "quarter", "indicator", "value"]], on=["institution", "quarter"]
    )
    stats = (
        around.groupby(["turnover_id", "indicator", "side"])["value"]
        .agg(["mean", "count"])
        .reset_index()
    )
    grid = visible[["institution", "indicator"]].drop_duplicates().merge(events, on="institution")
    for side in ("pre", "post"):
        one_side = stats[stats["side"] == side].drop(columns="side")
        grid = grid.merge(
            one_side.rename(columns={"mean": f"mean_{side}", "count": f"count_{side}"}),
            on=["turnover_id", "indicator"],
            how="left",
        )
    out = grid.assign(
        higher_is_better=higher_is_better(grid["indicator"], indicators),
        turnover_period=_period_text(grid["turnover_quarter"]),
        n_pre=grid["count_pre"].fillna(0).astype(int),
        n_post=grid["count_post"].fillna(0).astype(int),
        pre_mean=grid["mean_pre"].astype(float),
        post_mean=grid["mean_post"].astype(float),
    )
    _judge(out, params)
    for name in ("role", "partner"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(["institution", "indicator", "turnover_date"], kind="stable")
    return out[list(INDICATOR_TEST_COLUMNS)].reset_index(drop=True)


def _judge(tests: pd.DataFrame, params: Parameters) -> None:
    """Add `change`, `threshold`, `verdict` and `reason` to the grid of tests (in place)."""
    enough = (tests["n_pre"] >= params.min_values_per_side) & (
        tests["n_post"] >= params.min_values_per_side
    )
    change = tests["post_mean"] - tests["pre_mean"]
    worsening = change.where(~tests["higher_is_better"], -change)
    threshold = params.indicator_tolerance * tests["pre_mean"].abs()
    noise = _close_enough(tests["pre_mean"], tests["post_mean"])
    held = worsening <= threshold + noise
    tests["change"] = change.where(enough)
    tests["threshold"] = threshold.where(enough)
    tests["verdict"] = np.select([~enough, held], ["insufficient_data", "held"], "declined")

    quarter = tests["turnover_quarter"]
    before = (
        " the quarters before (" + _period_text(quarter - params.pre_quarters) + " to "
        + _period_text(quarter - 1) + ")"
    )
    after = (
        " the quarters after (" + _period_text(quarter + 1) + " to "
        + _period_text(quarter + params.post_quarters) + ")"
    )
    label = tests["turnover_label"].astype(str)
    direction = tests["higher_is_better"].map(
        {True: "higher is better, so a fall", False: "lower is better, so a rise"}
    )
    tolerance = f"{params.indicator_tolerance:.0%}"
    compared: pd.Series = (
        "Mean " + _number_text(tests["pre_mean"]) + " over " + tests["n_pre"].astype(str)
        + " value(s) in" + before + " and " + _number_text(tests["post_mean"]) + " over "
        + tests["n_post"].astype(str) + " value(s) in" + after + " " + label + ", whose own"
        " quarter " + tests["turnover_period"] + " is left out; " + direction + " of more than "
        + _number_text(threshold) + " (" + tolerance + " of |pre mean|) would be a decline: "
    )
    short: pd.Series = (
        "Only " + tests["n_pre"].astype(str) + " value(s) in" + before + " and "
        + tests["n_post"].astype(str) + " in" + after + " " + label + "; at least "
        + str(params.min_values_per_side) + " are needed on each side: insufficient data."
    )
    verdict = tests["verdict"]
    tests["reason"] = np.where(
        verdict == "insufficient_data",
        short,
        compared
        + np.where(verdict == "held", "held.", "declined (a change of ")
        + np.where(verdict == "held", "", _number_text(change) + ")."),
    )


def practice_change(
    *,
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    as_of: pd.Series,
    params: Parameters,
) -> pd.DataFrame:
    """Per (institution, indicator): did the indicator improve beyond the tolerance?

    One row per indicator with a value on or before the as-of date, columns
    `PRACTICE_COLUMNS`. See the module docstring for the exact rule.
    """
    visible = visible_values(values, as_of).sort_values(
        ["institution", "indicator", "quarter"], kind="stable"
    )
    series = visible.groupby(["institution", "indicator"], sort=False)
    position = series.cumcount()
    size = series["value"].transform("size")
    ends = np.minimum(params.practice_quarters, size // 2)
    early = visible[position < ends].groupby(["institution", "indicator"])["value"]
    late = visible[position >= size - ends].groupby(["institution", "indicator"])["value"]
    out = pd.DataFrame({"n_values": series["value"].size()})
    out["early_mean"] = early.mean()
    out["late_mean"] = late.mean()
    out["n_early"] = early.size().reindex(out.index).fillna(0).astype(int)
    out["n_late"] = late.size().reindex(out.index).fillna(0).astype(int)
    out = out.reset_index()
    out["higher_is_better"] = higher_is_better(out["indicator"], indicators)

    raw = out["late_mean"] - out["early_mean"]
    out["improvement"] = raw.where(out["higher_is_better"], -raw)
    out["threshold"] = params.indicator_tolerance * out["early_mean"].abs()
    enough = out["n_early"] >= params.min_values_per_side
    noise = _close_enough(out["early_mean"], out["late_mean"])
    out["improved"] = (enough & (out["improvement"] > out["threshold"] + noise)).astype(bool)
    out["reason"] = _practice_reasons(out, params)
    out = out.sort_values(["institution", "indicator"], kind="stable")
    return out[list(PRACTICE_COLUMNS)].reset_index(drop=True)


def _practice_reasons(out: pd.DataFrame, params: Parameters) -> pd.Series:
    tolerance = f"{params.indicator_tolerance:.0%}"
    better = out["higher_is_better"].map({True: "higher", False: "lower"})
    compared: pd.Series = (
        out["indicator"].astype(str) + ": mean of the latest " + out["n_late"].astype(str)
        + " value(s) " + _number_text(out["late_mean"]) + " against the earliest "
        + out["n_early"].astype(str) + " " + _number_text(out["early_mean"]) + " (" + better
        + " is better; beyond the tolerance means better by more than "
        + _number_text(out["threshold"]) + ", " + tolerance + " of |earliest mean|): "
    )
    verdict = np.where(out["improved"], "improved beyond the tolerance.", "not beyond it.")
    short: pd.Series = (
        out["indicator"].astype(str) + ": " + out["n_values"].astype(str) + " value(s) so far;"
        " at least " + str(2 * params.min_values_per_side) + " are needed to compare the"
        " earliest with the latest."
    )
    return pd.Series(
        np.where(out["n_early"] >= params.min_values_per_side, compared + verdict, short),
        index=out.index,
    )

