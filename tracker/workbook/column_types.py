"""Give one column of cell texts its declared type, set-based.

Every parser takes a column of trimmed strings ("" for an empty cell, which is valid here:
required cells are checked elsewhere) with the mask of its empty cells, and returns the typed
values plus a mask of the cells that are not valid. Work is done once per *distinct* text
(`pd.factorize`), then spread back to the rows by position, so ten million indicator values
with forty distinct periods parse forty periods. Numbers, which are mostly distinct, are
parsed by pandas/numpy in bulk.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tracker.config import year_range
from tracker.identity import lookalike_character, unseen_character
from tracker.workbook.schema import Column

# Keys are identifiers users type and scripts pass on command lines: ASCII letters and digits,
# with "-", "_" and "." inside; no spaces; case matters.
KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
KEY_RULE = (
    'a key uses letters, digits, "-", "_" and ".", starts with a letter or a digit and has at '
    "most 100 characters"
)
# [0-9], not \d: \d also matches other scripts' digits, which would not write back the same.
_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PERIOD_PATTERN = re.compile(r"[0-9]{4}Q[1-4]")
# Characters a spreadsheet cannot hold (an .xlsx export would fail): C0 controls but tab and
# line breaks, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True)
class ParsedColumn:
    """Typed values (missing where empty or bad), the empty cells, the bad cells, and why a
    cell is bad (from its text)."""

    values: pd.Series
    empty: pd.Series
    bad: pd.Series
    explain: Callable[[str], str]

    def usable(self) -> pd.Series:
        """Cells that hold a valid value."""
        return ~self.empty & ~self.bad


def trimmed(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The cells without surrounding whitespace and with line breaks written LF; then masks of
    the cells left empty and of those holding control characters.

    Spreadsheets and hand editing add spaces around values; they never carry meaning here.
    Line breaks inside a cell come as CRLF from Windows files and as LF from an .xlsx (XML
    normalises them): one spelling keeps a value the same whichever way it came.
    """
    codes, uniques = pd.factorize(text)
    stripped = [value.strip().replace("\r\n", "\n").replace("\r", "\n") for value in uniques]
    control = [bool(_CONTROL.search(value)) for value in stripped]
    return (
        pd.Series(_spread(stripped, codes, object), index=text.index, dtype=object),
        pd.Series(_spread([not value for value in stripped], codes, bool), index=text.index),
        pd.Series(_spread(control, codes, bool), index=text.index),
    )


# Characters that a reader cannot see, or cannot tell from a plain space: a zero-width space in
# "Chief\u200bExecutive" makes another role than "Chief Executive" (and hides a turnover). They
# are refused in the columns that identify a row or name a person or role
# (`tracker.identity.unseen_character` says which characters).
invisible_character = unseen_character


def invisible_cells(text: pd.Series) -> pd.Series:
    """The cells holding a character a reader cannot see (checked once per distinct text)."""
    codes, uniques = pd.factorize(text)
    found = [invisible_character(value) is not None for value in uniques]
    return pd.Series(_spread(found, codes, bool), index=text.index)


def lookalike_cells(text: pd.Series) -> pd.Series:
    """The cells whose name mixes in a lookalike letter of another script (checked once per
    distinct text; `tracker.identity.lookalike_character`)."""
    codes, uniques = pd.factorize(text)
    found = [lookalike_character(str(value)) is not None for value in uniques]
    return pd.Series(_spread(found, codes, bool), index=text.index)


def invisible_character_message(text: str) -> str:
    found = invisible_character(text) or "?"
    name = unicodedata.name(found, "a control character")
    return (
        f"holds an invisible character, U+{ord(found):04X} ({name}), in a column that "
        "identifies a row or names a person or role: two values that look the same would be "
        "different; retype the value"
    )


def control_character_message(text: str) -> str:
    found = _CONTROL.search(text)
    code = f"U+{ord(found.group()):04X}" if found else "a control character"
    return f"holds a control character ({code}) that a spreadsheet cannot hold"


def parse_column(column: Column, text: pd.Series, empty: pd.Series) -> ParsedColumn:
    """Parse `text` as `column` declares it (text, key, choice, date, period, bool, number…).

    `empty` marks the empty cells of `text` (known from trimming: comparing ten million
    strings with "" again in every check would cost more than the checks).
    """
    if column.type == "key":
        return _parse_by_pattern(text, empty, KEY_PATTERN, _explain_key)
    if column.type == "period":
        return _parse_period(text, empty)
    if column.type == "choice":
        return _parse_choice(text, empty, column.choices)
    if column.type == "date":
        return _parse_date(text, empty)
    if column.type == "bool":
        return _parse_bool(text, empty)
    if column.type == "number":
        return parse_number(text, empty)
    if column.type == "probability":
        return _parse_probability(text, empty)
    if column.max_length is not None:
        return _parse_bounded_text(text, empty, column.max_length)
    return ParsedColumn(_text_values(text, empty), empty, _none(text), str)


def _parse_bounded_text(text: pd.Series, empty: pd.Series, limit: int) -> ParsedColumn:
    """Text that the database column holds (the same limit on SQLite and PostgreSQL)."""
    codes, uniques = pd.factorize(text)
    bad = [len(value) > limit for value in uniques]

    def explain(value: str) -> str:
        return (
            f"this text has {len(value):,} characters; this column holds at most {limit:,} "
            "(shorten it, or move the detail to the notes)"
        )

    return ParsedColumn(
        _text_values(text, empty), empty, pd.Series(_spread(bad, codes, bool), index=text.index),
        explain,
    )


def years_text() -> str:
    first, last = year_range()
    return f"{first} to {last}"


def _parse_period(text: pd.Series, empty: pd.Series) -> ParsedColumn:
    """Quarters written YYYYQn whose year is within the years the tool accepts."""
    first, last = year_range()
    codes, uniques = pd.factorize(text)
    bad = [
        value != "" and not (_PERIOD_PATTERN.fullmatch(value) and first <= int(value[:4]) <= last)
        for value in uniques
    ]
    return ParsedColumn(
        _text_values(text, empty),
        empty,
        pd.Series(_spread(bad, codes, bool), index=text.index),
        _explain_period,
    )


def _spread(per_unique: Sequence[Any], codes: np.ndarray, dtype: Any) -> np.ndarray:
    """Values computed once per distinct text, given back to every row by its code."""
    return np.asarray(per_unique, dtype=dtype)[codes]


def _none(text: pd.Series) -> pd.Series:
    return pd.Series(False, index=text.index)


def _text_values(text: pd.Series, empty: pd.Series) -> pd.Series:
    values = text.to_numpy(dtype=object, copy=True)
    values[empty.to_numpy()] = None
    return pd.Series(values, index=text.index, dtype=object)


def _explain_key(value: str) -> str:
    return f'"{value}" is not a key: {KEY_RULE}'


def _explain_period(value: str) -> str:
    if _PERIOD_PATTERN.fullmatch(value):
        return (
            f'"{value}" is outside the years this tool accepts ({years_text()}; the '
            "TRACKER_YEARS setting): is the year a typo?"
        )
    return f'"{value}" is not a quarter written YYYYQn (e.g. 2024Q3)'


def _parse_by_pattern(
    text: pd.Series, empty: pd.Series, pattern: re.Pattern[str], explain: Callable[[str], str]
) -> ParsedColumn:
    codes, uniques = pd.factorize(text)
    bad = [value != "" and not pattern.fullmatch(value) for value in uniques]
    return ParsedColumn(
        _text_values(text, empty),
        empty,
        pd.Series(_spread(bad, codes, bool), index=text.index),
        explain,
    )


def _parse_choice(text: pd.Series, empty: pd.Series, choices: tuple[str, ...]) -> ParsedColumn:
    bad = ~empty & ~text.isin(choices)

    def explain(value: str) -> str:
        same_but_case = [choice for choice in choices if choice.lower() == value.lower()]
        guess = same_but_case or difflib.get_close_matches(value, choices, n=1)
        hint = f' (did you mean "{guess[0]}"?)' if guess else ""
        return f'"{value}" is not allowed here{hint}; use one of: {", ".join(choices)}'

    return ParsedColumn(_text_values(text, empty), empty, bad, explain)


def _date_or_none(value: str, first: int, last: int) -> np.datetime64 | None:
    """The day written YYYY-MM-DD, or None if it is not a day that exists or its year is
    outside `first`..`last`.

    The year is checked before the day becomes a timestamp: pandas would otherwise give a
    year such as 1024 a coarser unit, and casting that to nanoseconds wraps it silently
    round to another date (1024-05-01 became 2193-06-08).
    """
    if not _DATE_PATTERN.fullmatch(value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    if not first <= day.year <= last:
        return None
    return np.datetime64(day.isoformat(), "ns")


def _explain_date(value: str) -> str:
    if not _DATE_PATTERN.fullmatch(value):
        return f'"{value}" is not a date written YYYY-MM-DD (e.g. 2024-03-31)'
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f'"{value}" is not a date that exists'
    return (
        f'"{value}" is outside the years this tool accepts ({years_text()}; the TRACKER_YEARS '
        "setting): is the year a typo? A span still running has an empty end"
    )


def _parse_date(text: pd.Series, empty: pd.Series) -> ParsedColumn:
    first, last = year_range()
    codes, uniques = pd.factorize(text)
    days = [None if value == "" else _date_or_none(value, first, last) for value in uniques]
    bad = [value != "" and day is None for value, day in zip(uniques, days, strict=True)]
    stamps = [np.datetime64("NaT") if day is None else day for day in days]
    return ParsedColumn(
        pd.Series(_spread(stamps, codes, "datetime64[ns]"), index=text.index),
        empty,
        pd.Series(_spread(bad, codes, bool), index=text.index),
        _explain_date,
    )


def _parse_bool(text: pd.Series, empty: pd.Series) -> ParsedColumn:
    codes, uniques = pd.factorize(text)
    meanings = [_BOOLEANS.get(value.lower()) for value in uniques]
    bad = [
        value != "" and meaning is None for value, meaning in zip(uniques, meanings, strict=True)
    ]
    return ParsedColumn(
        pd.Series(pd.array(_spread(meanings, codes, object), dtype="boolean"), index=text.index),
        empty,
        pd.Series(_spread(bad, codes, bool), index=text.index),
        lambda value: f'"{value}" is not a yes/no value: use true/false, yes/no or 1/0',
    )


def parse_number(text: pd.Series, empty: pd.Series | None = None) -> ParsedColumn:
    """Finite decimal numbers with a point ("12", "-0.5", "1e-3"); NaN and infinities are bad."""
    if empty is None:
        empty = text == ""
    filled = ~empty
    # to_numeric is strict about syntax (no "1_000", no digits of other scripts) but may round
    # the last bit; float() is exact. So: to_numeric says which cells are numbers, float()
    # gives their values.
    approximate = pd.to_numeric(text.where(filled, "0"), errors="coerce").astype("float64")
    good = filled & np.isfinite(approximate)
    try:
        exact = text[good].astype("float64")
    except ValueError:
        exact = text[good].map(_float_or_nan).astype("float64")
    numbers = np.full(len(text), np.nan)
    numbers[good.to_numpy()] = exact.to_numpy()
    values = pd.Series(numbers, index=text.index)
    bad = filled & ~np.isfinite(values)
    return ParsedColumn(values.where(~bad), empty, bad, _explain_number)


def _float_or_nan(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return math.nan


def _explain_number(value: str) -> str:
    if value.lower().lstrip("+-") in ("nan", "inf", "infinity") or math.isinf(_float_or_nan(value)):
        return f'"{value}" is not a finite number'
    return (
        f'"{value}" is not a number (write numbers like 12, -0.5 or 1e-3: a point for decimals, '
        "no thousands separators or units)"
    )


def _parse_probability(text: pd.Series, empty: pd.Series) -> ParsedColumn:
    number = parse_number(text, empty)
    outside = number.values.notna() & ((number.values < 0) | (number.values > 1))

    def explain(value: str) -> str:
        if parse_number(pd.Series([value], dtype=object)).bad.iloc[0]:
            return number.explain(value)
        return f'"{value}" is not a probability: it must be between 0 and 1'

    return ParsedColumn(number.values.where(~outside), empty, number.bad | outside, explain)
