"""Read one CSV file of the workbook into a frame of strings, reporting what is wrong with it.

Two passes, each doing what it is best at:
1. the standard `csv` module (strict quoting) walks the records once and only counts fields,
   so that malformed quoting and ragged rows are found with their row numbers;
2. pandas' C parser then builds the frame of strings, which is several times faster than
   building it in Python (a workbook may hold ten million indicator values).
Only when a file has ragged rows (which pandas cannot skip without losing row numbers), or
when the two parsers disagree on the number of records, is the frame built from the `csv`
records instead.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tracker.workbook.problems import Problem
from tracker.workbook.raw import HEADER_ROW, frame_from_columns, header_columns

_BOM = codecs.BOM_UTF8


@dataclass
class _Layout:
    """What the first pass learned: header, record count, and the rows that do not fit."""

    header: list[str]
    records: int  # including the header
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row, number of fields)
    # A blank line written with more commas than the header has columns: harmless, but the
    # pandas parser would refuse it.
    long_blank: bool = False

    @property
    def width(self) -> int:
        return len(self.header)


class _Unreadable(Exception):
    """The file cannot be parsed past some row."""

    def __init__(self, row: int | None, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def read_csv_table(path: Path, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV file as strings: the frame (None when unreadable) and the problems found.

    UTF-8 with or without a byte-order mark, LF or CRLF line ends, comma-separated, `"`-quoted
    fields that may hold commas and line breaks. Never raises on bad content.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(label, None, None, f"cannot be read ({error.strerror})")]
    start = len(_BOM) if data.startswith(_BOM) else 0
    try:
        _check_encoding(data, start)
        layout = _scan(data, start)
    except _Unreadable as error:
        return None, [Problem(label, error.row, None, error.message)]
    names = [name.strip() for name in layout.header]
    keep, problems = header_columns(names, label)
    problems.extend(
        Problem(
            label,
            row,
            None,
            f"this row has {count} {'field' if count == 1 else 'fields'} but the header has "
            f"{layout.width}: every row needs exactly one value per column (a comma in a "
            'value needs the value in "quotes")',
        )
        for row, count in layout.ragged
    )
    columns, rows = _fast_columns(data, start, layout)
    if columns is None:
        columns, rows = _checked_columns(data, start, layout)
    return frame_from_columns(names, columns, rows, keep), problems


def _check_encoding(data: bytes, start: int) -> None:
    # Look at the beginning first: slicing a large file to strip it would copy it.
    if not data[start : start + 65536].strip() and not data[start:].strip():
        raise _Unreadable(None, "the file is empty: it needs at least a header row")
    nul = data.find(b"\x00", start)
    if nul >= 0:
        raise _Unreadable(
            _line_of(data, nul),
            "holds a NUL byte: this is not a text CSV file (save the sheet as CSV UTF-8)",
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Unreadable(
            _line_of(data, error.start),
            "holds bytes that are not UTF-8 text (save the sheet as CSV UTF-8)",
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    """The line of a byte offset (the spreadsheet row unless a quoted value spans lines)."""
    return data.count(b"\n", 0, offset) + 1


def _records(data: bytes, start: int) -> Iterator[list[str]]:
    stream = io.BytesIO(data)
    stream.seek(start)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    # A process-wide setting of the csv module; nothing else here reads CSV with a smaller one.
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    return csv.reader(text, strict=True)


def _scan(data: bytes, start: int) -> _Layout:
    records = _records(data, start)
    count = 0
    try:
        header = next(records)
        count = 1
        if not any(name.strip() for name in header):
            raise _Unreadable(HEADER_ROW, "the first row must hold the column names")
        layout = _Layout(header, 1)
        width = len(header)
        for record in records:
            count += 1
            if len(record) != width:
                if any(value.strip() for value in record):
                    layout.ragged.append((count, len(record)))
                elif len(record) > width:
                    layout.long_blank = True
    except csv.Error as error:
        raise _Unreadable(count + 1, _quoting_message(str(error), count + 1)) from None
    layout.records = count
    return layout


# The longest value a CSV cell may hold. Python's csv module stops at 131,072 characters by
# default, far below what a narrative or a note may be (pandas has no such limit); a value longer
# than this is refused with its row, and an unclosed quote is reported as such.
CSV_FIELD_LIMIT = 10_000_000


def _quoting_message(error: str, row: int) -> str:
    if "unexpected end of data" in error:
        return f'a quoted value that starts on row {row} is never closed (a missing ")'
    if "expected after" in error:
        return (
            "a closing quote must be followed by a comma or the end of the line (a quote inside "
            'a quoted value is written twice: "")'
        )
    if "field limit" in error:
        return (
            f"a value on row {row} is longer than {CSV_FIELD_LIMIT:,} characters, the most a "
            "cell may hold (if it should be shorter, a quote may be left open)"
        )
    return f"cannot be read as CSV ({error})"


def _fast_columns(
    data: bytes, start: int, layout: _Layout
) -> tuple[pd.DataFrame | None, Sequence[int]]:
    """The data rows parsed by pandas, or None when the file needs the careful path."""
    if layout.ragged or layout.long_blank:
        return None, range(0)
    stream = io.BytesIO(data)
    stream.seek(start)
    try:
        frame = pd.read_csv(
            stream,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
        )
    except (ValueError, pd.errors.ParserError):
        return None, range(0)
    if len(frame) != layout.records or frame.shape[1] != layout.width:
        return None, range(0)
    return frame.iloc[1:], range(2, layout.records + 1)


def _checked_columns(
    data: bytes, start: int, layout: _Layout
) -> tuple[pd.DataFrame, Sequence[int]]:
    """The data rows from the `csv` module, leaving out ragged rows (already reported)."""
    width = layout.width
    kept: list[list[str]] = []
    rows: list[int] = []
    records = _records(data, start)
    next(records)
    for row, record in enumerate(records, start=2):
        if len(record) == width:
            kept.append(record)
        elif any(value.strip() for value in record):
            continue
        else:
            kept.append((record + [""] * width)[:width])
        rows.append(row)
    return pd.DataFrame(kept, columns=range(width), dtype=object), rows
