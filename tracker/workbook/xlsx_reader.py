"""Read an `.xlsx` workbook: one sheet per table, typed cells turned into the format's text.

Cells are read as a person sees them (`read_xlsx_cells`). A hidden sheet named like a table is
refused (its rows would be imported unseen); any other hidden sheet is ignored, as a person
looking at the workbook does not see it either.

Reading is bounded before it starts: an `.xlsx` is a zip of XML, and a small file can unpack
into gigabytes. A workbook whose parts unpack to more than `MAX_UNPACKED` bytes, or a part of
more than `RATIO_FLOOR` bytes that unpacks to more than `MAX_RATIO` times its packed size, is
refused with the reason before any XML is read.
"""

from __future__ import annotations

import difflib
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from tracker.workbook.problems import Problem
from tracker.workbook.raw import HEADER_ROW, RawWorkbook, frame_from_columns, header_columns
from tracker.workbook.read_xlsx_cells import (
    SheetTooLarge,
    hiding_styles,
    percent_styles,
    read_sheet_cells,
)
from tracker.workbook.schema import READ_ONLY_TABLES, TABLE_MAP, TABLE_NAMES


def read_xlsx_workbook(path: Path) -> RawWorkbook:
    """Every sheet named like a table, as strings; unknown sheets and damage are problems."""
    raw = RawWorkbook(path)
    too_large = _unpacking_refusal(path)
    if too_large is not None:
        raw.problems.append(Problem(path.name, None, None, too_large))
        return raw
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    # openpyxl raises many kinds of error on a damaged or foreign file (zip, XML, key errors):
    # whichever it is, the answer for the user is the same.
    except Exception as error:
        raw.problems.append(Problem(path.name, None, None, _not_readable(error)))
        return raw
    try:
        percent = percent_styles(book)
        hiding = hiding_styles(book)
        for sheet in book.worksheets:
            label = f"{path.name} [{sheet.title}]"
            hidden = sheet.sheet_state != "visible"
            if sheet.title in READ_ONLY_TABLES:  # written by an export for people to read
                continue
            if sheet.title not in TABLE_MAP:
                if not hidden:
                    raw.problems.append(Problem(label, None, None, _unknown_sheet(sheet.title)))
                continue
            raw.sources[sheet.title] = label
            if hidden:
                raw.problems.append(Problem(label, None, None, _HIDDEN_SHEET))
                raw.unreadable.add(sheet.title)
                continue
            try:
                cells = read_sheet_cells(book, sheet, percent, hiding)
            except SheetTooLarge as error:
                raw.problems.append(Problem(label, None, None, str(error)))
                raw.unreadable.add(sheet.title)
                continue
            except Exception as error:  # damaged sheet XML: same reasoning as above
                raw.problems.append(Problem(label, None, None, _not_readable(error)))
                raw.unreadable.add(sheet.title)
                continue
            refused = {row for row, _message in cells.refused}
            raw.problems.extend(
                Problem(label, row, None, message) for row, message in sorted(cells.refused)
            )
            frame, problems = _sheet_frame(cells.rows, label, left_out=refused - {HEADER_ROW})
            raw.problems.extend(problems)
            if frame is None:
                raw.unreadable.add(sheet.title)
                continue
            raw.tables[sheet.title] = frame
            header = [name.strip() for name in cells.rows[0]]
            raw.percent_cells[sheet.title] = {
                (row, header[position])
                for row, position in cells.percent
                if position < len(header) and header[position] in frame.columns
                and row in frame.index
            }
    finally:
        book.close()
    return raw


# What reading a workbook may unpack: in all, and per part relative to its packed size.
MAX_UNPACKED = 1_000_000_000
MAX_RATIO = 200
RATIO_FLOOR = 10_000_000


def _unpacking_refusal(path: Path) -> str | None:
    """Why the workbook would unpack to more than reading is bounded to (None: it would not).
    A file that is no zip is left to openpyxl, which says so."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return None
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED:
        return (f"unpacks to {total:,} bytes, more than the {MAX_UNPACKED:,} a workbook is read "
                "with: split it into several workbooks")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            return (f"its part {part.filename} unpacks to {part.file_size:,} bytes, "
                    f"{ratio:,.0f} times its packed size (at most {MAX_RATIO}): a workbook of "
                    "this format is not that repetitive; save it again from a spreadsheet "
                    "program, or split it")
    return None


def _not_readable(error: Exception) -> str:
    return f"is not a readable .xlsx workbook ({type(error).__name__}: {error})"


def _unknown_sheet(name: str) -> str:
    guess = difflib.get_close_matches(name, TABLE_NAMES, n=1)
    hint = f'; did you mean "{guess[0]}"?' if guess else ""
    return f"this sheet is not a table of the workbook format{hint}"


_HIDDEN_SHEET = (
    "this sheet is hidden: unhide it to import it, or delete it (a hidden sheet named like a "
    "table is not imported unseen)"
)


def _sheet_frame(
    rows: list[list[str]], label: str, *, left_out: set[int] | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The data rows under the header row (row 1); rows with cells outside it are problems,
    rows in `left_out` (already reported) are left out."""
    if not any(any(row) for row in rows):
        return None, [Problem(label, None, None, "the sheet is empty: it needs a header row")]
    header = [name.strip() for name in rows[0]]
    # Spreadsheets often carry empty formatted cells after the last column: they are no column.
    while header and not header[-1]:
        header.pop()
    if not header:
        return None, [Problem(label, HEADER_ROW, None, "the first row must hold the column names")]
    width = len(header)
    keep, problems = header_columns(header, label)
    kept: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(rows[1:], start=HEADER_ROW + 1):
        if left_out and number in left_out:
            continue
        outside = _cells_outside(row, width)
        if outside:
            problems.append(
                Problem(
                    label,
                    number,
                    None,
                    f"cell {outside}{number} holds a value but its column has no name in the "
                    "header row",
                )
            )
            continue
        kept.append((row + [""] * width)[:width])
        numbers.append(number)
    columns = pd.DataFrame(kept, columns=range(width), dtype=object)
    return frame_from_columns(header, columns, numbers, keep), problems


def _cells_outside(row: Iterable[str], width: int) -> str | None:
    """The column letter of the first non-empty cell right of the header, if any."""
    for position, value in enumerate(row):
        if position >= width and value.strip():
            return get_column_letter(position + 1)
    return None
