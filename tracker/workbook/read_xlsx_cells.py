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
- a **hidden row**, a row of **zero height**, a **hidden column** or one of **zero width** that
  holds a value is refused (a person looking at the sheet does not see it);
- a cell whose **number format hides it** (`;;;`, or an empty section for its sign or for
  text) is refused, naming the cell;
- a **date** is read as the day shown: its serial's whole part (2024-03-31 23:59:59.99999 is
  2024-03-31, not rounded to the next day); serial 60 of the 1900 date system (shown
  1900-02-29, a day that never was) and serials before day 1 are refused;
- reading is **bounded**: empty cells cost nothing however far right they are, a value
  beyond column `MAX_COLUMNS` is refused naming the cell, and a sheet of more than `MAX_CELLS`
  cells is refused as soon as the count is passed.

Hidden sheets are decided by the sheet reader (`xlsx_reader`). The sheet's XML is walked once
by openpyxl's own streaming parser, subclassed to keep what the read-only API drops (whether a
cell is a formula, the merged ranges and the hidden rows); openpyxl is pinned by the lock file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import MAC_EPOCH
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from tracker.workbook.cells import number_text, spreadsheet_cell_text

# A cell openpyxl read from a formula whose result was never saved.
_UNSAVED_FORMULA = "unsaved-formula"
# A date cell whose serial names no day that exists (1900-02-29, day 0 or before).
_NO_SUCH_DAY = "no-such-day"
# The widest sheet read (column IV) and the most cells one sheet may hold.
MAX_COLUMNS = 256
MAX_CELLS = 5_000_000
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


class SheetTooLarge(Exception):
    """A sheet beyond what reading may cost; the message says which bound and why."""


class _SeeingParser(WorkSheetParser):
    """openpyxl's sheet parser that also marks formulas without a saved result, reads dates as
    the day shown, and counts the cells it reads."""

    cells_read = 0

    def parse_cell(self, element: Any) -> dict[str, Any]:
        self.cells_read += 1
        if self.cells_read > MAX_CELLS:
            raise SheetTooLarge(
                f"the sheet holds more than {MAX_CELLS:,} cells, more than a workbook of this "
                "format is read with: split it into several workbooks"
            )
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            formula = element.find(FORMULA_TAG)
            cell["data_type"] = _UNSAVED_FORMULA
            cell["value"] = f"={formula.text}" if formula.text else "a shared formula"
        elif cell["data_type"] == "d" and cell["style_id"] not in self.timedelta_formats:
            serial = element.findtext(VALUE_TAG, None)
            if serial is not None and isinstance(cell["value"], dt.datetime):
                day = shown_day(float(serial), self.epoch)
                if day is None:
                    cell["data_type"], cell["value"] = _NO_SUCH_DAY, serial
                else:
                    cell["value"] = day
        return cell


def shown_day(serial: float, epoch: dt.datetime) -> dt.date | None:
    """The day a date format shows for `serial` (its whole part: a time of day never rounds
    into the next day); None for a day that does not exist (serial 60 of the 1900 system, which
    shows 1900-02-29, and serials before day 1)."""
    whole = math.floor(serial)
    if epoch == MAC_EPOCH:
        return (MAC_EPOCH + dt.timedelta(days=whole)).date() if whole >= 0 else None
    if whole < 1 or whole == 60:
        return None
    # Serials 1-59 count from 1900-01-01 (day 1); from 61 on, Excel's phantom 1900-02-29 shifts
    # them by one.
    start = dt.date(1899, 12, 31) if whole < 60 else dt.date(1899, 12, 30)
    return start + dt.timedelta(days=whole)


def percent_styles(book: Workbook) -> frozenset[int]:
    """The style ids whose number format shows a number as a percentage."""
    found = set()
    for style_id, style in enumerate(book._cell_styles):
        number_format = _number_format(book, style.numFmtId)
        if "%" in _LITERAL.sub("", number_format):
            found.add(style_id)
    return frozenset(found)


def hiding_styles(book: Workbook) -> dict[int, tuple[str, ...]]:
    """The style ids whose number format has a section that shows nothing (`;;;`, `0;;`),
    with the format's sections (the literal text in quotes kept)."""
    found = {}
    for style_id, style in enumerate(book._cell_styles):
        number_format = _number_format(book, style.numFmtId)
        sections = tuple(_sections(number_format))
        if len(sections) > 1 and any(not _shows_something(part) for part in sections):
            found[style_id] = sections
    return found


def _sections(number_format: str) -> list[str]:
    """The format's sections, split at the semicolons outside quotes and escapes."""
    parts, current, position = [], "", 0
    while position < len(number_format):
        literal = _LITERAL.match(number_format, position)
        if literal:
            current += literal.group()
            position = literal.end()
            continue
        char = number_format[position]
        if char == ";":
            parts.append(current)
            current = ""
        else:
            current += char
        position += 1
    return [*parts, current]


def _shows_something(section: str) -> bool:
    # Colours and conditions ([Red], [>100]) and empty quotes ("") show nothing by themselves.
    return bool(re.sub(r'\[[^\]]*\]|""', "", section).strip())


def hidden_by_format(sections: tuple[str, ...], value: object) -> bool:
    """Whether a format with these sections shows nothing for `value`."""
    if isinstance(value, bool) or value is None or value == "":
        return False
    if isinstance(value, int | float):
        if value > 0 or len(sections) == 1:
            section = sections[0]
        elif value < 0:
            section = sections[1]
        else:
            section = sections[2] if len(sections) > 2 else sections[0]
        return not _shows_something(section)
    return len(sections) > 3 and not _shows_something(sections[3])


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
    book: Workbook, sheet: ReadOnlyWorksheet, percent: frozenset[int],
    hiding: dict[int, tuple[str, ...]] | None = None,
) -> SheetCells:
    """Every row of `sheet` as the format's text (row 1 first, missing rows empty).

    `SheetTooLarge` when the sheet holds more cells than reading is bounded to."""
    seen = SheetCells()
    looks = _Looks(percent, hiding if hiding is not None else hiding_styles(book))
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
            if looks.hidden_columns is None:  # <cols> comes before the rows
                looks.hidden_columns = _hidden_columns(parser)
            while len(seen.rows) < number - 1:
                seen.rows.append([])
            seen.rows.append(_row_text(number, cells, looks, seen))
        _refuse_hidden_rows(parser, seen)
        _refuse_merged(parser, seen)
    return seen


@dataclass
class _Looks:
    """How the book's styles and the sheet's columns show cells."""

    percent: frozenset[int]
    hiding: dict[int, tuple[str, ...]]
    hidden_columns: set[int] | None = None


def _hidden_columns(parser: WorkSheetParser) -> set[int]:
    """The column numbers that are hidden or of zero width (at most MAX_COLUMNS of them)."""
    found: set[int] = set()
    for attributes in parser.column_dimensions.values():
        hidden = str(attributes.get("hidden", "")).lower() in ("1", "true")
        try:
            narrow = float(attributes.get("width", 1)) == 0
        except ValueError:
            narrow = False
        if hidden or narrow:
            first = int(attributes.get("min", 1))
            last = min(int(attributes.get("max", first)), MAX_COLUMNS + 1)
            found.update(range(first, last + 1))
    return found


def _row_text(
    number: int, cells: list[dict[str, Any]], looks: _Looks, seen: SheetCells
) -> list[str]:
    # Empty cells (formatted, or written by a program) are no value: they cost nothing, however
    # far to the right.
    filled = [cell for cell in cells if cell["value"] is not None and cell["value"] != ""]
    row: list[str] = []
    for cell in filled:
        value, kind, position = cell["value"], cell["data_type"], cell["column"] - 1
        where = f"{get_column_letter(position + 1)}{number}"
        if position >= MAX_COLUMNS:
            seen.refused.append(
                (number, f"cell {where} holds a value beyond column "
                 f"{get_column_letter(MAX_COLUMNS)}, the widest a sheet is read: move it or "
                 "delete it")
            )
            continue
        if len(row) <= position:
            row.extend([""] * (position + 1 - len(row)))
        if position + 1 in (looks.hidden_columns or ()):
            seen.refused.append(
                (number, f"cell {where} holds a value in the hidden column "
                 f"{get_column_letter(position + 1)}: unhide the column (or empty the cell) so "
                 "that what is imported is what the sheet shows")
            )
        elif cell["style_id"] in looks.hiding and hidden_by_format(
            looks.hiding[cell["style_id"]], value
        ):
            seen.refused.append(
                (number, f"cell {where} holds a value its number format hides "
                 f"({';'.join(looks.hiding[cell['style_id']])}): give it a format that shows "
                 "it, or empty it")
            )
        elif kind == _NO_SUCH_DAY:
            seen.refused.append(
                (number, f"cell {where} holds the date serial {value}, a day that does not "
                 "exist (1900-02-29 in the 1900 date system, or before 1900-01-01): type the "
                 "date meant")
            )
        elif kind == _UNSAVED_FORMULA:
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
            cell["style_id"] in looks.percent
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
        try:
            flat = float(attributes.get("ht", 1)) == 0
        except ValueError:
            flat = False
        filled = number <= len(seen.rows) and any(cell.strip() for cell in seen.rows[number - 1])
        if (hidden or flat) and filled:
            how = "is hidden" if hidden else "has zero height"
            seen.refused.append(
                (
                    number,
                    f"row {number} {how} but holds values: unhide it (or delete it) so "
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
