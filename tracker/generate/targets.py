"""Synthetic targets: some institutions aim at an indicator over the last year, and some of their
structural changes are meant to last through the next turnover."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.generate.indicators import INDICATORS

# A share of institutions set targets, as in a real portfolio where only some funders ask for them.
TARGET_SHARE = 0.3
PERSISTENCE_SHARE = 0.25
_TARGET_QUARTERS = 4


def make_targets(values: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Per-quarter targets over the last four quarters of the record, for a share of institutions:
    a little better than the institution's own mean over the four quarters before them."""
    periods = sorted(values["period"].unique())
    columns = ["institution", "indicator", "period", "until", "value", "kind", "comment"]
    if len(periods) < 2 * _TARGET_QUARTERS or values.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object")
                             for c in columns})
    span, before = periods[-_TARGET_QUARTERS:], periods[-2 * _TARGET_QUARTERS:-_TARGET_QUARTERS]
    institutions = np.array(sorted(values["institution"].unique()), dtype=object)
    chosen = institutions[rng.random(len(institutions)) < TARGET_SHARE]
    specs = [INDICATORS[i] for i in rng.integers(0, len(INDICATORS), len(chosen))]
    baseline = (
        values[values["period"].isin(before)]
        .groupby(["institution", "indicator"])["value"].mean()
    )
    rows = []
    for institution, spec in zip(chosen, specs, strict=True):
        mean = baseline.get((institution, spec.key))
        if mean is None or not np.isfinite(mean):
            continue
        aim = mean * (1.05 if spec.higher_is_better else 0.95)
        if spec.unit.startswith("%") or spec.unit.startswith("score 0-100"):
            aim = min(aim, 100.0)
        rows.append({"institution": institution, "indicator": spec.key, "period": span[0],
                     "until": span[-1], "value": round(float(aim), 1), "kind": "per_period",
                     "comment": "Synthetic: 5% better than the year before."})
    return pd.DataFrame(rows, columns=columns).astype({"value": "float64"})


def make_persistence_targets(changes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A share of structural (not practice) changes meant to stay in force through the next
    turnover."""
    structural = changes[changes["kind"] != "practice"]
    picked = structural[rng.random(len(structural)) < PERSISTENCE_SHARE]
    return pd.DataFrame({
        "institution": picked["institution"].to_numpy(dtype=object),
        "change": picked["key"].to_numpy(dtype=object),
        "through": "next_turnover",
        "comment": "Synthetic: agreed with the funder.",
    }, columns=["institution", "change", "through", "comment"])
