"""Turning typed frame values into plain Python values (for SQL parameters, JSON and text)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd


def column_values(series: pd.Series) -> list[Any]:
    """A column as plain Python values: dates as `datetime.date`, missing as None."""
    # Vectorised (no Python loop): an import converts millions of values here.
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dt.date.to_numpy(dtype=object)
    else:
        values = series.to_numpy(dtype=object, copy=True)  # never write into the caller's frame
    values[series.isna().to_numpy()] = None
    return values.tolist()


def plain(value: Any) -> Any:
    """One value as JSON-safe Python: ISO dates, None for missing, numbers and text as they are."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def same(left: Any, right: Any) -> bool:
    """Whether two cell values are the same (missing equals missing; no type juggling)."""
    a, b = plain(left), plain(right)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def text(value: Any) -> str:
    """A value as the workbook would write it, for messages."""
    v = plain(value)
    if v is None:
        return "(empty)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
