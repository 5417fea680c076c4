"""The calendar of a synthetic portfolio: its years, its quarters, and day arithmetic on arrays.

Dates are numpy `datetime64[D]` arrays throughout the generator (NaT where a date is empty), so
that a rule is one expression over every institution at once rather than a loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")
NO_DATE = np.datetime64("NaT", "D")

# Fixed, so that a seed gives the same workbook whatever the day it is generated on.
LAST_YEAR = 2025


@dataclass(frozen=True)
class Timeframe:
    """`years` whole calendar years ending with `last_year` (quarters `first_year`Q1 onward)."""

    years: int
    last_year: int = LAST_YEAR

    def __post_init__(self) -> None:
        if self.years < 1:
            raise ValueError("a synthetic portfolio spans at least one year")

    @property
    def first_year(self) -> int:
        return self.last_year - self.years + 1

    @property
    def quarters(self) -> int:
        return 4 * self.years

    @property
    def first_day(self) -> np.datetime64:
        return np.datetime64(f"{self.first_year}-01-01", "D")

    @property
    def last_day(self) -> np.datetime64:
        """The last day of the last quarter: every institution's as-of date by default."""
        return np.datetime64(f"{self.last_year}-12-31", "D")

    @property
    def days(self) -> int:
        return int((self.last_day - self.first_day) / DAY) + 1

    def period_labels(self) -> np.ndarray:
        """`YYYYQn` of each quarter, in order (an object array of `str`)."""
        return np.array(
            [f"{self.first_year + q // 4}Q{q % 4 + 1}" for q in range(self.quarters)], dtype=object
        )

    def quarter_starts(self) -> np.ndarray:
        """The first day of each quarter (and of the quarter after the last), `datetime64[D]`."""
        months = np.datetime64(f"{self.first_year}-01", "M") + 3 * np.arange(self.quarters + 1)
        return months.astype("datetime64[D]")

    def quarter_of(self, days: np.ndarray) -> np.ndarray:
        """The quarter number (0 = the first quarter of the timeframe) of each date.

        Dates before the timeframe give negative numbers, after it numbers ≥ `quarters`.
        """
        months = days.astype("datetime64[M]").astype(np.int64)
        first = np.datetime64(f"{self.first_year}-01", "M").astype(np.int64)
        return (months - first) // 3

    def random_days(
        self, rng: np.random.Generator, low: np.ndarray | float, high: np.ndarray | float,
        size: int,
    ) -> np.ndarray:
        """Dates drawn uniformly between `low` and `high` days after the first day."""
        offsets = rng.uniform(low, high, size=size).astype(np.int64)
        return self.first_day + offsets * DAY


def clip_to(days: np.ndarray, *, last: np.datetime64) -> np.ndarray:
    """Dates after `last` become empty (NaT): an end that lies in the future is not recorded."""
    return np.where(days <= last, days, NO_DATE)


def as_timestamps(days: np.ndarray) -> pd.Series:
    """A `datetime64[ns]` series (the `Dataset` dtype of dates) from `datetime64[D]` values."""
    return pd.Series(days.astype("datetime64[ns]"))


def pick(rng: np.random.Generator, options: np.ndarray | list[str], size: int,
         p: list[float] | None = None) -> np.ndarray:
    """`size` choices among `options` as an object array of `str` (optionally weighted)."""
    values = np.asarray(options, dtype=object)
    return values[rng.choice(len(values), size=size, p=p)]


def texts_where(keep: np.ndarray, values: np.ndarray | str) -> np.ndarray:
    """An object array holding `values` where `keep` is true and None (an empty cell) elsewhere."""
    out = np.full(len(keep), None, dtype=object)
    out[keep] = values[keep] if isinstance(values, np.ndarray) else values
    return out
