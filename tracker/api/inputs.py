"""What a client may send, checked where FastAPI reads it: every input error is a 422 problem
naming its field, before anything is planned, so that a dry run and the real write refuse the
same things and nothing a client sent can end in a 500.

- text is text: a lone surrogate (JSON's `"\\ud800"`) cannot be stored, written to a
  workbook or shown, and is refused;
- a number is one the database holds: finite, and a whole number within ±(2^53 - 1) (beyond
  that a float cannot hold it exactly, and the database's numeric columns refuse it);
- a quarter in a path is `YYYYQn` in ASCII digits, within the years of TRACKER_YEARS.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, PlainValidator

from tracker.api.problems import ApiProblem

# The largest whole number a float holds exactly.
MAX_WHOLE = 2**53 - 1
_QUARTER = re.compile(r"[0-9]{4}Q[1-4]", re.ASCII)


def _text(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f"holds a lone surrogate at character {error.start + 1}, which is not text: send "
            "the text as UTF-8"
        ) from error
    return value


def _whole(value: int) -> int:
    if abs(value) > MAX_WHOLE:
        raise ValueError(
            f"is a whole number of {len(str(abs(value)))} digits: at most ±{MAX_WHOLE:,} is "
            "held exactly"
        )
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("is not a finite number")
    return value


Text = Annotated[str, AfterValidator(_text)]
Whole = Annotated[int, AfterValidator(_whole)]


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _whole(value)
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, str):
        return _text(value)
    raise ValueError("is not text, a number, true, false or null")


# One validator, so that a refused cell is one error naming its field (not one per kind).
Cell = Annotated[
    str | int | float | bool | None,
    PlainValidator(_cell, json_schema_input_type=str | int | float | bool | None),
]


def checked_quarter(period: str) -> str:
    """`period` if it is a quarter `YYYYQn` within TRACKER_YEARS; else a 422 naming the field."""
    from tracker.config import year_range

    first, last = year_range()
    if _QUARTER.fullmatch(period) and first <= int(period[:4]) <= last:
        return period
    message = (f"{period!a} is not a quarter written YYYYQn (ASCII digits, e.g. 2024Q3) in "
               f"the years {first}-{last}")
    raise ApiProblem(422, f"The path's period: {message}.", kind="request",
                     errors=[{"field": "path.period", "message": message}])
