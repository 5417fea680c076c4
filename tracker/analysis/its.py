"""Segmented regression (interrupted time series) around one turnover, as supporting evidence.

The model, fitted by ordinary least squares (statsmodels) to one indicator of one institution:

    value = b0 + b1·time + b2·after + b3·time_since + error

`time` counts quarters from the first value; `after` is 1 for quarters after the quarter of the
turnover; `time_since` counts quarters from the first quarter after it (0 until then). `b2` is
the level change at the first quarter after the turnover and `b3` the slope change per
quarter, each with a 95% confidence interval. The quarter of the turnover is left out, as in
the before/after comparison. It is fitted only with at least `its_min_quarters` values on each
side, and it is read as a pattern *consistent with* a change
around the turnover, never as its cause. It is too slow for every series at national scale, so
`analyse` fits it only when asked (`include_its=True`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from tracker.analysis.params import Parameters
from tracker.analysis.results import ItsEstimate


def _signed(number: float) -> str:
    return f"{number:+.3g}"


def _plain(number: float) -> str:
    return f"{number:.3g}"


def segmented_regression(
    series: pd.DataFrame, *, turnover_quarter: int, turnover_label: str, params: Parameters
) -> ItsEstimate:
    """Fit the segmented regression to one series around one turnover.

    `series` has a `quarter` column (quarter index, see `periods.period_index`) and a `value`
    column, holding only values that may be used (on or before the as-of date). Returns an
    unfitted `ItsEstimate`, with the reason in its sentence, when either side has fewer than
    `params.its_min_quarters` values.
    """
    used = series.loc[series["quarter"] != turnover_quarter, ["quarter", "value"]].dropna()
    used = used.sort_values("quarter")
    after = (used["quarter"] > turnover_quarter).astype(float)
    n_post = int(after.sum())
    n_pre = len(used) - n_post
    if min(n_pre, n_post) < params.its_min_quarters:
        return ItsEstimate(
            fitted=False,
            n_pre=n_pre,
            n_post=n_post,
            sentence=(
                f"A segmented regression around {turnover_label} needs at least "
                f"{params.its_min_quarters} quarterly values on each side; there are {n_pre} "
                f"before and {n_post} after, so none is shown."
            ),
        )
    time = used["quarter"] - used["quarter"].min()
    design = pd.DataFrame(
        {
            "const": 1.0,
            "time": time.astype(float),
            "after": after,
            # 0 at the first quarter after, so that `after` is the level change there.
            "time_since": np.where(after > 0, used["quarter"] - turnover_quarter - 1, 0).astype(
                float
            ),
        }
    )
    fit = sm.OLS(used["value"].astype(float).to_numpy(), design.to_numpy()).fit()
    estimates = np.asarray(fit.params)
    interval = np.asarray(fit.conf_int(alpha=0.05))
    level, slope = float(estimates[2]), float(estimates[3])
    level_low, level_high = (float(v) for v in interval[2])
    slope_low, slope_high = (float(v) for v in interval[3])
    sentence = (
        f"A segmented regression over {n_pre + n_post} quarterly values ({n_pre} before, "
        f"{n_post} after {turnover_label}) is consistent with a level change of "
        f"{_signed(level)} (95% interval {_plain(level_low)} to {_plain(level_high)}) and a "
        f"slope change of {_signed(slope)} per quarter (95% interval {_plain(slope_low)} to "
        f"{_plain(slope_high)}). It is supporting evidence read alongside the before/after "
        "comparison; other influences on the same quarters are not ruled out."
    )
    return ItsEstimate(
        fitted=True,
        n_pre=n_pre,
        n_post=n_post,
        sentence=sentence,
        level_change=level,
        level_low=level_low,
        level_high=level_high,
        slope_change=slope,
        slope_low=slope_low,
        slope_high=slope_high,
    )
