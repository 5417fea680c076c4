"""Reading the CSV files the tools export: separator detected, every cell text, rows numbered
as a spreadsheet shows them (the header is row 1)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from tracker.workbook.problems import Problem


def read_delimited(
    path: Path, *, header: bool = True, names: list[str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """A CSV export as a frame of text ("" when empty), indexed by row number.

    The separator is `,` or `;` (KoboToolbox writes `;` by default), whichever the first line
    holds more of outside quotes. Without a header, `names` name the columns by position.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return pd.DataFrame(), [Problem(path.name, None, None, f"is not UTF-8 text: {error}")]
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    semicolons = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=";"), [])
    separator = ";" if len(semicolons) > len(first) else ","
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
            header=0 if header else None, names=names, index_col=False,
        )
    except (pd.errors.ParserError, ValueError) as error:
        return pd.DataFrame(), [Problem(path.name, None, None, f"cannot be read as CSV: {error}")]
    frame.columns = pd.Index([str(c).strip() for c in frame.columns], dtype=object)
    frame.index = pd.RangeIndex(2 if header else 1, len(frame) + (2 if header else 1), name="row")
    return frame, []


def read_json(path: Path) -> tuple[Any, list[Problem]]:
    """A JSON file's content, or the problem that stops it being read."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig")), []
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, [Problem(path.name, None, None, f"is not JSON: {error}")]


def json_text(value: Any) -> str:
    """A JSON value as the text a CSV export would hold ("" for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return " ".join(json_text(v) for v in value)
    return str(value)
