"""The format's text for a value: one spelling per value, shared by the reader and the writer.

Writing a value and reading it back must give the same text, so that `write → read → write`
is identical to the byte. Both sides therefore spell numbers, dates and booleans here.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

# Below this, an integral float is written as an integer ("12", not "12.0"); above it, floats
# are no longer exact integers and `repr` ("1e+16") is both shorter and exact.
_INTEGRAL_LIMIT = 1e16


def number_text(value: float) -> str:
    """The shortest text that reads back as the same float: "12" for 12.0, "0.1", "1e-05"."""
    if math.isfinite(value) and value.is_integer() and abs(value) < _INTEGRAL_LIMIT:
        return str(int(value))
    return repr(float(value))


def numbers_text(values: np.ndarray) -> np.ndarray:
    """`number_text` of every float in `values` ("" for NaN), integral ones in bulk."""
    numbers = np.asarray(values, dtype="float64")
    text = np.full(len(numbers), "", dtype=object)
    filled = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        integral = filled & (np.floor(numbers) == numbers) & (np.abs(numbers) < _INTEGRAL_LIMIT)
    text[integral] = numbers[integral].astype(np.int64).astype(str).astype(object)
    other = filled & ~integral
    text[other] = [repr(number) for number in numbers[other].tolist()]
    return text


def date_text(value: dt.date) -> str:
    """`YYYY-MM-DD` (a datetime loses its time of day: the format records days)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def bool_text(value: bool) -> str:
    return "true" if value else "false"


def spreadsheet_cell_text(value: object) -> str:
    """A typed spreadsheet cell as the format's text ("" for an empty cell)."""
    if value is None:
        return ""
    # bool before int: True is an int in Python.
    if isinstance(value, bool):
        return bool_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime | dt.date):
        return date_text(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)
