"""Small helpers shared by the analysis modules for shaping data frames."""

from __future__ import annotations

import pandas as pd


def none_for_missing(values: pd.Series) -> pd.Series:
    """An object series with `None` where a value is missing (NaN, NaT, NA).

    Text columns of a `Dataset` hold `None` for an empty cell; results keep that convention.
    """
    out = values.astype(object)
    out[values.isna().to_numpy()] = None
    return out


def iso_dates(dates: pd.Series) -> pd.Series:
    """Dates as ISO `YYYY-MM-DD` strings (NaN where a date is missing)."""
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d")
