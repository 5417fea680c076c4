"""How often the segmented regression's "95%" interval covers a true level change of zero.

Simulates quarterly series with AR(1) errors (lag-1 correlation ρ) and no effect, 12 quarters
on each side of a turnover (as issue 23 measured), fits each with the method the analysis uses
(`tracker.analysis.its.segmented_regression`) and with plain least squares, and prints the share
of intervals that contain zero, per ρ. Rerun with:

    .venv/bin/python -m bench.its_coverage [--series 500] [--seed 1]

The README's table of coverage per ρ comes from this script; `its.COVERAGE` holds the same
figures, so an interval is labelled with the coverage it really has.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import statsmodels.api as sm

from tracker.analysis.its import segmented_regression
from tracker.analysis.params import Parameters

QUARTERS_EACH_SIDE = 12
RHOS = (0.0, 0.3, 0.6)


def ar1_series(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    """Unit-variance AR(1) noise, started from its stationary distribution."""
    noise = rng.standard_normal(n)
    out = np.empty(n)
    out[0] = noise[0]
    scale = np.sqrt(1.0 - rho * rho)
    for i in range(1, n):
        out[i] = rho * out[i - 1] + scale * noise[i]
    return out


def _plain_ols_covers(values: np.ndarray, turnover: int) -> bool:
    quarters = np.arange(len(values) + 1)
    quarters = quarters[quarters != turnover]
    after = (quarters > turnover).astype(float)
    design = np.column_stack(
        [np.ones(len(values)), quarters, after, np.where(after > 0, quarters - turnover - 1, 0)]
    )
    fit = sm.OLS(values, design).fit()
    low, high = fit.conf_int(0.05)[2]
    return bool(low <= 0 <= high)


def coverage(rho: float, series: int, seed: int) -> tuple[float, float]:
    """(the analysis' coverage, plain least squares' coverage) of a true zero level change."""
    rng = np.random.default_rng(seed)
    params = Parameters()
    turnover = QUARTERS_EACH_SIDE
    n = 2 * QUARTERS_EACH_SIDE
    quarters = [q for q in range(n + 1) if q != turnover]
    ours = plain = 0
    for _ in range(series):
        values = ar1_series(rng, n, rho)
        frame = pd.DataFrame({"quarter": quarters, "value": values})
        estimate = segmented_regression(
            frame, turnover_quarter=turnover, turnover_label="the turnover", params=params
        )
        assert estimate.level_low is not None and estimate.level_high is not None
        ours += estimate.level_low <= 0 <= estimate.level_high
        plain += _plain_ols_covers(values, turnover)
    return ours / series, plain / series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{args.series} series per ρ, {QUARTERS_EACH_SIDE} quarters each side, seed {args.seed}")
    print("ρ      analysis  plain OLS")
    for rho in RHOS:
        ours, plain = coverage(rho, args.series, args.seed)
        print(f"{rho:<6} {ours:.3f}     {plain:.3f}")


if __name__ == "__main__":
    main()
