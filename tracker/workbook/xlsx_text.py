"""Text in a spreadsheet the product writes stays text: never a formula, never cut.

Every `.xlsx` the product writes (the workbook export, the dashboard's downloads) goes through
here, so that a value such as `=HYPERLINK("http://…")` typed into a name is shown as those
characters and never evaluated. A cell is stored as a string (type "s", not a formula), and a
text starting with a character that spreadsheets read as the start of a formula (=, +, -, @,
tab or carriage return) is also marked "quote prefix", the flag Excel and LibreOffice set for
text typed after an apostrophe, so that editing the cell and pressing Enter keeps it text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A write-only cell holding `value` as text."""
    cell = WriteOnlyCell(sheet, value=value)
    _as_text(cell, value)
    return cell


def _as_text(cell: Cell | WriteOnlyCell, value: str) -> None:
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True


def cells_as_text(sheet: Worksheet, rows: Iterable[Iterable[Cell]] | None = None) -> None:
    """Turn every string cell of a written sheet into text (for sheets written by pandas)."""
    for row in rows if rows is not None else sheet.iter_rows():
        for cell in row:
            value: Any = cell.value
            if isinstance(value, str):
                _as_text(cell, value)
