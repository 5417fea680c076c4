"""Small helpers shared by the analysis modules for shaping data frames."""

from __future__ import annotations

import numpy as np
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
    values = dates.to_numpy(dtype="datetime64[ns]")
    # numpy formats dates in C, many times faster than `.dt.strftime` on large frames.
    text = pd.Series(np.datetime_as_string(values, unit="D"), index=dates.index, dtype=object)
    return text.where(~np.isnat(values))
