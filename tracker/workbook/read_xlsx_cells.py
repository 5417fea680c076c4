"""The cells of an `.xlsx` sheet as a person sees them, or a problem naming the cell.

A spreadsheet can show something other than the value it stores, or store what nobody sees.
Read naively, such a file is imported as something its author never wrote. The rules:

- a **percent-formatted** number is read as the number shown: 0.55 shown as "55%" is read as
  55 (the validator then accepts it only where the indicator's unit is a percentage);
- a **formula** is read by its saved result; a formula with no saved result (a file written by
  a program that does not calculate) is refused: nobody has seen its value;
- an **error value** (`#N/A`, `#DIV/0!`, …) is refused;
- **merged cells** are refused (only the first cell of the range holds the value the others
  seem to show);
- a **hidden row** that holds a value is refused (a person looking at the sheet does not see it).

Hidden sheets are decided by the sheet reader (`xlsx_reader`). The sheet's XML is walked once
by openpyxl's own streaming parser, subclassed to keep what the read-only API drops (whether a
cell is a formula, the merged ranges and the hidden rows); openpyxl is pinned by the lock file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from tracker.workbook.cells import number_text, spreadsheet_cell_text

# A cell openpyxl read from a formula whose result was never saved.
_UNSAVED_FORMULA = "unsaved-formula"
# Text in quotes or after a backslash is shown literally: "%" there is no percent format.
_LITERAL = re.compile(r'"[^"]*"|\\.')


@dataclass
class SheetCells:
    """A sheet's rows as text, and what was learned on the way."""

    rows: list[list[str]] = field(default_factory=list)
    # (row number, column position) of numbers shown as percentages, read as shown.
    percent: set[tuple[int, int]] = field(default_factory=set)
    # (row number or None for the whole sheet, message) of cells that cannot be read as seen.
    refused: list[tuple[int, str]] = field(default_factory=list)


class _SeeingParser(WorkSheetParser):
    """openpyxl's sheet parser that also marks formulas without a saved result."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            formula = element.find(FORMULA_TAG)
            cell["data_type"] = _UNSAVED_FORMULA
            cell["value"] = f"={formula.text}" if formula.text else "a shared formula"
        return cell


def percent_styles(book: Workbook) -> frozenset[int]:
    """The style ids whose number format shows a number as a percentage."""
    found = set()
    for style_id, style in enumerate(book._cell_styles):
        number_format = _number_format(book, style.numFmtId)
        if "%" in _LITERAL.sub("", number_format):
            found.add(style_id)
    return frozenset(found)


def _number_format(book: Workbook, format_id: int) -> str:
    if format_id < BUILTIN_FORMATS_MAX_SIZE:
        return str(BUILTIN_FORMATS.get(format_id, "General"))
    try:
        return str(book._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE])
    except IndexError:
        return "General"


def shown_percent(value: float) -> str:
    """The number a percent format shows for `value`, exactly (0.555 → "55.5")."""
    shown = Decimal(number_text(value)).scaleb(2).normalize()
    text = format(shown, "f")
    return number_text(float(text)) if float(text).is_integer() else text


def read_sheet_cells(
    book: Workbook, sheet: ReadOnlyWorksheet, percent: frozenset[int]
) -> SheetCells:
    """Every row of `sheet` as the format's text (row 1 first, missing rows empty)."""
    seen = SheetCells()
    with sheet._get_source() as source:
        parser = _SeeingParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            while len(seen.rows) < number - 1:
                seen.rows.append([])
            seen.rows.append(_row_text(number, cells, percent, seen))
        _refuse_hidden_rows(parser, seen)
        _refuse_merged(parser, seen)
    return seen


def _row_text(
    number: int, cells: list[dict[str, Any]], percent: frozenset[int], seen: SheetCells
) -> list[str]:
    width = max((cell["column"] for cell in cells), default=0)
    row = [""] * width
    for cell in cells:
        value, kind, position = cell["value"], cell["data_type"], cell["column"] - 1
        where = f"{get_column_letter(position + 1)}{number}"
        if kind == _UNSAVED_FORMULA:
            seen.refused.append(
                (
                    number,
                    f"cell {where} holds a formula ({value}) whose result was never saved: "
                    "open and save the workbook in a spreadsheet program, or type the value",
                )
            )
        elif kind == "e":
            seen.refused.append(
                (number, f"cell {where} holds the error value {value}: correct it or empty it")
            )
        elif (
            cell["style_id"] in percent
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            row[position] = shown_percent(float(value))
            seen.percent.add((number, position))
        else:
            row[position] = spreadsheet_cell_text(value)
    return row


def _refuse_hidden_rows(parser: WorkSheetParser, seen: SheetCells) -> None:
    for number_text_, attributes in parser.row_dimensions.items():
        number = int(number_text_)
        hidden = str(attributes.get("hidden", "")).lower() in ("1", "true")
        filled = number <= len(seen.rows) and any(cell.strip() for cell in seen.rows[number - 1])
        if hidden and filled:
            seen.refused.append(
                (
                    number,
                    f"row {number} is hidden but holds values: unhide it (or delete it) so "
                    "that what is imported is what the sheet shows",
                )
            )


def _refuse_merged(parser: WorkSheetParser, seen: SheetCells) -> None:
    if not parser.merged_cells:
        return
    for merged in parser.merged_cells.mergeCell:
        reference = merged.ref
        first_row = int(re.sub(r"[A-Z$]", "", reference.split(":")[0]) or 0)
        seen.refused.append(
            (
                first_row,
                f"cells {reference} are merged: only the first holds a value, the others only "
                "seem to; unmerge them and fill in each cell",
            )
        )
