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

import math

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
    events["turnover_text"] = _turnover_texts(events, params)

    grid = visible[["institution", "indicator"]].drop_duplicates().merge(events, on="institution")
    grid = grid.join(_side_means(visible, events, grid, params))
    out = grid.assign(
        higher_is_better=higher_is_better(grid["indicator"], indicators),
        turnover_period=_period_text(grid["turnover_quarter"]),
    )
    _judge(out, params)
    for name in ("role", "partner"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(["institution", "indicator", "turnover_date"], kind="stable")
    return out[list(INDICATOR_TEST_COLUMNS)].reset_index(drop=True)


def _side_means(
    visible: pd.DataFrame, events: pd.DataFrame, grid: pd.DataFrame, params: Parameters
) -> pd.DataFrame:
    """`n_pre`, `n_post`, `pre_mean`, `post_mean` for each row of `grid` (same index).

    Each turnover is expanded into its pre and post quarters, which meet the values on
    (institution, quarter); sums and counts per (turnover, indicator, side) are then one
    `np.bincount` each. Integer codes stand in for keys: at national scale this runs over
    millions of values.
    """
    institutions = pd.Index(events["institution"].unique())
    indicators = pd.Index(visible["indicator"].unique())
    n_turnovers, n_indicators = len(events), max(len(indicators), 1)

    offsets = np.r_[np.arange(-params.pre_quarters, 0), np.arange(1, params.post_quarters + 1)]
    expanded = pd.DataFrame(
        {
            "turnover_id": np.repeat(events["turnover_id"].to_numpy(), len(offsets)),
            "institution": np.repeat(
                institutions.get_indexer(events["institution"]), len(offsets)
            ),
            "quarter": np.repeat(events["turnover_quarter"].to_numpy(), len(offsets))
            + np.tile(offsets, len(events)),
            "post": np.tile((offsets > 0).astype("int64"), len(events)),
        }
    )
    values = pd.DataFrame(
        {
            "institution": institutions.get_indexer(visible["institution"]),
            "quarter": visible["quarter"].to_numpy(),
            "indicator": indicators.get_indexer(visible["indicator"]),
            "value": visible["value"].to_numpy(dtype=float),
        }
    )
    values = values[values["institution"] >= 0]  # institutions without a turnover
    around = expanded.merge(values, on=["institution", "quarter"])
    cell = (around["turnover_id"] * n_indicators + around["indicator"]) * 2 + around["post"]
    size = n_turnovers * n_indicators * 2
    sums = np.bincount(cell, weights=around["value"], minlength=size)
    counts = np.bincount(cell, minlength=size)

    base = (grid["turnover_id"].to_numpy() * n_indicators
            + indicators.get_indexer(grid["indicator"])) * 2
    n_pre, n_post = counts[base], counts[base + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame(
            {
                "n_pre": n_pre.astype(int),
                "n_post": n_post.astype(int),
                "pre_mean": np.where(n_pre > 0, sums[base] / n_pre, np.nan),
                "post_mean": np.where(n_post > 0, sums[base + 1] / n_post, np.nan),
            },
            index=grid.index,
        )


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

    tests["reason"] = _reasons(tests, threshold, change, params)


def _turnover_texts(events: pd.DataFrame, params: Parameters) -> pd.Series:
    """Per turnover, the part of a reason that is the same for every indicator."""
    quarter = events["turnover_quarter"]
    return (
        "after " + events["turnover_label"].astype(str) + " (quarters "
        + _period_text(quarter - params.pre_quarters) + " to " + _period_text(quarter - 1)
        + " against " + _period_text(quarter + 1) + " to "
        + _period_text(quarter + params.post_quarters) + "; its own quarter "
        + _period_text(quarter) + " is left out)"
    )


def _shown(number: float) -> str:
    return "none" if math.isnan(number) else f"{number:.4g}"


def _reason(
    params: Parameters,
    verdict: str,
    pre: float,
    post: float,
    n_pre: int,
    n_post: int,
    turnover: str,
    higher_is_better: bool,
    threshold: float,
    change: float,
) -> str:
    compared = (
        f"mean {_shown(pre)} over {n_pre} value(s) before and {_shown(post)} over {n_post} "
        f"{turnover}"
    )
    if verdict == "insufficient_data":
        return (
            f"Insufficient data: {compared}; at least {params.min_values_per_side} values are "
            "needed on each side."
        )
    rule = (
        f"{'Higher' if higher_is_better else 'Lower'} is better; a "
        f"{'fall' if higher_is_better else 'rise'} of more than {_shown(threshold)} "
        f"({params.indicator_tolerance:.0%} of |pre mean|) counts as a decline"
    )
    if verdict == "held":
        return f"Held: {compared}. {rule}."
    return f"Declined: {compared}. {rule}, and the change was {_shown(change)}."


def _reasons(
    tests: pd.DataFrame, threshold: pd.Series, change: pd.Series, params: Parameters
) -> list[str]:
    # The verdicts are computed column-wise above; only the sentence is formatted per test
    # (pandas has no fast path for formatting text: this is several times faster than
    # concatenating columns, and reads as the sentence it writes).
    columns = zip(
        tests["verdict"].tolist(),
        tests["pre_mean"].tolist(),
        tests["post_mean"].tolist(),
        tests["n_pre"].tolist(),
        tests["n_post"].tolist(),
        tests["turnover_text"].tolist(),
        tests["higher_is_better"].tolist(),
        threshold.tolist(),
        change.tolist(),
        strict=True,
    )
    return [_reason(params, *row) for row in columns]


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

