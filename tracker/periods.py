"""Quarters (`YYYYQn`) and the dates that bound them."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

PERIOD_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


def parse_period(text: str) -> tuple[int, int]:
    """Return (year, quarter) for a period written `YYYYQn`; raise ValueError otherwise."""
    match = PERIOD_PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a quarter written YYYYQn (e.g. 2024Q3)")
    return int(match.group(1)), int(match.group(2))


def is_period(text: str) -> bool:
    return bool(PERIOD_PATTERN.match(text.strip()))


def period_of(day: dt.date) -> str:
    """The quarter that contains a date."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def period_start(period: str) -> dt.date:
    year, quarter = parse_period(period)
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def period_end(period: str) -> dt.date:
    """The last day of the quarter."""
    year, quarter = parse_period(period)
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def period_index(period: str) -> int:
    """A whole number that increases by one each quarter (for arithmetic on quarters)."""
    year, quarter = parse_period(period)
    return year * 4 + quarter - 1


def period_from_index(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


def period_indexes(periods: pd.Series) -> pd.Series:
    """Vectorised `period_index` over a series of `YYYYQn` strings."""
    text = periods.astype(str)
    return text.str.slice(0, 4).astype(int) * 4 + text.str.slice(5, 6).astype(int) - 1


def date_period_indexes(dates: pd.Series) -> pd.Series:
    """Vectorised quarter index of each date in a datetime series."""
    values = pd.to_datetime(dates)
    return values.dt.year * 4 + (values.dt.month - 1) // 3
