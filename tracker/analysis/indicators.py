"""Practice indicators through turnovers, and practice change over an institution's record.

Persistence through a turnover at T (product.md): compare the up to `pre_quarters` quarters
before the quarter of T with the `post_quarters` quarters after it; the quarter of T itself is
excluded (it mixes before and after). Only values of quarters ending on or before the as-of
date are used. Fewer than `min_values_per_side` values on either side: `insufficient_data`.
Otherwise `held` when the post mean is no worse than the pre mean by more than the tolerance
(worse is down when higher is better, up otherwise; exactly at the tolerance is `held`), else
`declined`. The tolerance is the indicator's own `tolerance` (indicators.csv, absolute, in its
unit) when declared, else `indicator_tolerance` × |pre mean|. With a pre mean of 0 and no
tolerance declared, a relative tolerance is 0 and any rise would read as a decline: then a
post mean no worse is `held`, and a worse one is `insufficient_data` with the reason named
(declare a tolerance to judge it), never a false `declined`.

Practice change (a criterion of the phase): an indicator *improved beyond the tolerance* when
the mean of its latest k values is better than the mean of its earliest k values by strictly
more than `indicator_tolerance` × |earliest mean|, direction-aware, where k is
`practice_quarters` or half the number of values if that is smaller (so the two ends never
share a value), and k must be at least `min_values_per_side`. The declared tolerance, when
there is one, replaces the relative one; with an earliest mean of 0 and none declared, no
improvement is beyond the tolerance (the reason says so).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from tracker.analysis.asof import quarter_indexes
from tracker.analysis.frames import none_for_missing
from tracker.analysis.indicator_text import Row, indicator_test_reason, practice_reason
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
    "threshold",  # the worsening allowed: the declared tolerance, else tolerance × |pre_mean|
    "tolerance",  # the indicator's declared absolute tolerance (NaN when none is declared)
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
    "tolerance",
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


def declared_tolerance(indicator: pd.Series, indicators: pd.DataFrame) -> pd.Series:
    """Each indicator's declared absolute tolerance (NaN where none is declared)."""
    if "tolerance" not in indicators:
        return pd.Series(np.nan, index=indicator.index)
    values = indicators.drop_duplicates("key").set_index("key")["tolerance"]
    return indicator.map(values).astype(float)


def higher_is_better(indicator: pd.Series, indicators: pd.DataFrame) -> pd.Series:
    """Whether higher is better for each indicator key in `indicator`.

    An indicator without a definition is read as higher-is-better, the common case.
    """
    flags = indicators.drop_duplicates("key").set_index("key")["higher_is_better"]
    return indicator.map(flags).astype("boolean").fillna(True).astype(bool)


def indicator_tests(
    *,
    visible: pd.DataFrame,
    indicators: pd.DataFrame,
    turnovers: pd.DataFrame,
    params: Parameters,
    with_reasons: bool = True,
) -> pd.DataFrame:
    """Every indicator of each institution compared before and after each of its turnovers.

    `visible` is `visible_values(...)`: the values already cut at the as-of date (computed once
    for this and `practice_change`, as it runs over every value); `turnovers` is
    `turnovers.turnovers(...)`. One row per (institution, indicator with a visible value,
    turnover), columns `INDICATOR_TEST_COLUMNS`. See the module docstring for the exact rule.
    `with_reasons=False` leaves out the `reason` column (see `indicator_text`).
    """
    events = turnovers.reset_index(drop=True).rename(
        columns={"kind": "turnover_kind", "date": "turnover_date", "label": "turnover_label"}
    )
    events["turnover_id"] = np.arange(len(events))
    events["turnover_quarter"] = date_period_indexes(events["turnover_date"]).astype("int64")

    grid = visible[["institution", "indicator"]].drop_duplicates().merge(events, on="institution")
    grid = grid.join(_side_means(visible, events, grid, params))
    out = grid.assign(
        higher_is_better=higher_is_better(grid["indicator"], indicators),
        tolerance=declared_tolerance(grid["indicator"], indicators),
        turnover_period=_period_text(grid["turnover_quarter"]),
    )
    _judge(out, params)
    for name in ("role", "partner"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(["institution", "indicator", "turnover_date"], kind="stable")
    out = out[[name for name in INDICATOR_TEST_COLUMNS if name != "reason"]].reset_index(drop=True)
    return _with_reasons(out, indicator_test_reason, params) if with_reasons else out


def _with_reasons(
    frame: pd.DataFrame, reason: Callable[[Row, Parameters], str], params: Parameters
) -> pd.DataFrame:
    """`frame` with a `reason` column rendered row by row."""
    out = frame.copy()
    out["reason"] = [reason(row, params) for row in out.to_dict("records")]
    return out


def _codes(keys: pd.Index, values: pd.Series) -> np.ndarray:
    """The position of each value in `keys` (-1 when absent): integers stand in for keys."""
    return np.asarray(keys.get_indexer(pd.Index(values)))


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
            "institution": np.repeat(_codes(institutions, events["institution"]), len(offsets)),
            "quarter": np.repeat(events["turnover_quarter"].to_numpy(), len(offsets))
            + np.tile(offsets, len(events)),
            "post": np.tile((offsets > 0).astype("int64"), len(events)),
        }
    )
    values = pd.DataFrame(
        {
            "institution": _codes(institutions, visible["institution"]),
            "quarter": visible["quarter"].to_numpy(),
            "indicator": _codes(indicators, visible["indicator"]),
            "value": visible["value"].to_numpy(dtype=float),
        }
    )
    values = values[values["institution"] >= 0]  # institutions without a turnover
    around = expanded.merge(values, on=["institution", "quarter"])
    cell = (around["turnover_id"] * n_indicators + around["indicator"]) * 2 + around["post"]
    size = n_turnovers * n_indicators * 2
    sums = np.bincount(cell, weights=around["value"], minlength=size)
    counts = np.bincount(cell, minlength=size)

    cell_of_grid = grid["turnover_id"].to_numpy() * n_indicators
    base = (cell_of_grid + _codes(indicators, grid["indicator"])) * 2
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
    """Add `change`, `threshold` and `verdict` to the grid of tests (in place)."""
    enough = (tests["n_pre"] >= params.min_values_per_side) & (
        tests["n_post"] >= params.min_values_per_side
    )
    change = tests["post_mean"] - tests["pre_mean"]
    worsening = change.where(~tests["higher_is_better"], -change)
    declared = tests["tolerance"]
    threshold = declared.fillna(params.indicator_tolerance * tests["pre_mean"].abs())
    noise = _close_enough(tests["pre_mean"], tests["post_mean"])
    held = worsening <= threshold + noise
    # 10% of a zero mean is zero: without a declared tolerance a worsening cannot be judged.
    unjudgeable = declared.isna() & (tests["pre_mean"].abs() <= noise) & ~held
    tests["change"] = change.where(enough)
    tests["threshold"] = threshold.where(enough)
    tests["verdict"] = np.select(
        [~enough, held, unjudgeable],
        ["insufficient_data", "held", "insufficient_data"],
        "declined",
    )


def practice_change(
    *,
    visible: pd.DataFrame,
    indicators: pd.DataFrame,
    params: Parameters,
    with_reasons: bool = True,
) -> pd.DataFrame:
    """Per (institution, indicator): did the indicator improve beyond the tolerance?

    `visible` is `visible_values(...)`. One row per indicator with a value on or before the
    as-of date, columns `PRACTICE_COLUMNS`. See the module docstring for the exact rule.
    `with_reasons=False` leaves out the `reason` column (see `indicator_text`).
    """
    visible = visible.sort_values(["institution", "indicator", "quarter"], kind="stable")
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
    out["tolerance"] = declared_tolerance(out["indicator"], indicators)
    out["threshold"] = out["tolerance"].fillna(params.indicator_tolerance * out["early_mean"].abs())
    enough = out["n_early"] >= params.min_values_per_side
    noise = _close_enough(out["early_mean"], out["late_mean"])
    judgeable = out["tolerance"].notna() | (out["early_mean"].abs() > noise)
    beyond = out["improvement"] > out["threshold"] + noise
    out["improved"] = (enough & judgeable & beyond).astype(bool)
    out = out.sort_values(["institution", "indicator"], kind="stable")
    out = out[[name for name in PRACTICE_COLUMNS if name != "reason"]].reset_index(drop=True)
    return _with_reasons(out, practice_reason, params) if with_reasons else out
