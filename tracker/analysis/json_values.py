"""Values as the JSON of `tracker analyse --format json` writes them: numbers rounded, NaN as
null, dates as ISO strings.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

JsonDict = dict[str, Any]


def json_number(value: float | int | None) -> float | None:
    """A float as plain JSON: rounded to 6 decimals, NaN and infinities as null."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    rounded = round(number, 6)
    # -0.0 reads oddly in a report and means the same as 0.0.
    return 0.0 if rounded == 0 else rounded


def json_date(value: dt.date | None) -> str | None:
    """A date as an ISO string, or null."""
    return None if value is None else value.isoformat()


def to_date(value: Any) -> dt.date | None:
    """A pandas timestamp (or date, or NaT/None) as a `datetime.date`, or None."""
    if type(value) is dt.date:
        return value
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()
