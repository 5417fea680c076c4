"""Write a Dataset as a workbook (a folder of CSV files or one `.xlsx`), deterministically.

Every table of the format is written (header only when empty), columns in schema order
(`places` then its `context:` columns sorted by name), rows sorted by the table's identity
columns, each value spelled as `cells` spells it. So `write → read → validate → write` gives the
same CSV files byte for byte, and the same `.xlsx` cells (the `.xlsx` file itself also records
when it was saved).

Writing is atomic: everything is written under a temporary name beside the target, then renamed,
so a failure leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.dataset import Dataset, column_dtype, typed_frame
from tracker.workbook.cells import numbers_text
from tracker.workbook.schema import READ_ONLY_TABLES, TABLE_MAP, TABLES, Table
from tracker.workbook.xlsx_text import text_cell

# Excel's last row: a larger table must be written as CSV.
XLSX_MAX_ROWS = 1_048_576
# The most characters a spreadsheet cell holds (Excel, LibreOffice); openpyxl would cut longer
# text without a word, and a re-import would store the cut text.
XLSX_MAX_CELL_TEXT = 32_767


class TooLongForSpreadsheet(ValueError):
    """A text is longer than a spreadsheet cell holds: the workbook must be written as CSV."""


def write_workbook(
    dataset: Dataset,
    path: Path,
    *,
    format: Literal["csv", "xlsx"],
    overwrite: bool = False,
    read_only: Mapping[str, pd.DataFrame] | None = None,
) -> None:
    """Write every table of `dataset` to `path`: a folder of CSV files, or one `.xlsx` file.

    Refuses (FileExistsError) to replace an existing file or a non-empty folder unless
    `overwrite`; then, in a folder, only the workbook's own CSV files are replaced (other files,
    such as a README, stay). A CSV workbook is UTF-8 without byte-order mark, LF line ends.

    `read_only` adds files (sheets) of `READ_ONLY_TABLES`, text only, that an import skips.
    """
    path = Path(path)
    texts = {table.name: table_text(table, dataset[table.name]) for table in TABLES}
    for name, frame in (read_only or {}).items():
        texts[name] = frame.astype(object).where(frame.notna(), "").astype(str)
    if format == "csv":
        _write_csv_folder(texts, path, overwrite=overwrite)
    elif format == "xlsx":
        _write_xlsx_file(texts, path, overwrite=overwrite)
    else:
        raise ValueError(f"unknown workbook format {format!r}: use csv or xlsx")


def table_columns(table: Table, frame: pd.DataFrame) -> list[str]:
    """The columns a table is written with: the schema's, then `context:` columns sorted."""
    names = [column.name for column in table.columns]
    if table.open_prefix:
        prefix = table.open_prefix
        names += sorted(str(name) for name in frame.columns if str(name).startswith(prefix))
    return names


def table_text(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The table as the format's strings, in written column order, rows sorted by identity."""
    typed = frame if _has_dataset_dtypes(table, frame) else typed_frame(table, frame)
    text = pd.DataFrame(
        {name: _column_text(table, name, typed[name]) for name in table_columns(table, typed)},
        index=typed.index,
    )
    identity = list(table.identity)
    # Identity is unique in valid data; should it not be, the other columns settle the order,
    # so the output still does not depend on the order rows came in.
    order = identity if not text.duplicated(identity).any() else list(text.columns)
    if identity and len(text):
        text = text.sort_values(order, kind="stable")
    return text.reset_index(drop=True)


def _has_dataset_dtypes(table: Table, frame: pd.DataFrame) -> bool:
    """Whether `frame` is already typed as a data set is (then it needs no conversion)."""
    return all(
        column.name in frame and str(frame[column.name].dtype) == column_dtype(column)
        for column in table.columns
    ) and all(
        str(frame[name].dtype) == "float64"
        for name in frame.columns
        if table.open_prefix and str(name).startswith(table.open_prefix)
    )


def _column_text(table: Table, name: str, values: pd.Series) -> pd.Series:
    column = table.column_map.get(name)
    kind = column.type if column is not None else "number"  # context: columns are numbers
    if kind == "date":
        return values.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    if kind == "bool":
        flags = values.astype("boolean")
        words = np.where(flags.fillna(False).to_numpy(dtype=bool), "true", "false")
        return pd.Series(np.where(flags.isna().to_numpy(), "", words), index=values.index).astype(
            object
        )
    if kind in ("number", "probability"):
        return pd.Series(numbers_text(values.to_numpy()), index=values.index, dtype=object)
    return _with_lf_line_breaks(values.where(values.notna(), "").astype(str))


def _with_lf_line_breaks(text: pd.Series) -> pd.Series:
    """Line breaks inside a cell written LF, as the validator stores them.

    Python's csv writer does not quote a lone CR when lines end with LF, which would split the
    row; an .xlsx turns it into LF anyway. Checked once per distinct value.
    """
    codes, uniques = pd.factorize(text)
    if not any("\r" in value for value in uniques):
        return text.astype(object)
    fixed = [value.replace("\r\n", "\n").replace("\r", "\n") for value in uniques]
    return pd.Series(np.asarray(fixed, dtype=object)[codes], index=text.index, dtype=object)


def _temporary_beside(path: Path) -> Path:
    return path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"


def _write_csv_folder(texts: dict[str, pd.DataFrame], folder: Path, *, overwrite: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} is a file: a CSV workbook is written as a folder")
    existing = folder.is_dir() and any(folder.iterdir())
    if existing and not overwrite:
        raise FileExistsError(f"{folder} is not empty: choose a new folder, or overwrite it")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = _temporary_beside(folder)
    staging.mkdir()
    try:
        for name, text in texts.items():
            try:
                _write_csv_file(text, staging / f"{name}.csv")
            except OSError as error:
                raise not_written(error, folder / f"{name}.csv") from None
        if existing:
            # Each file is replaced atomically; a folder that holds other files cannot be.
            for name in texts:
                os.replace(staging / f"{name}.csv", folder / f"{name}.csv")
            staging.rmdir()
        else:
            if folder.is_dir():
                folder.rmdir()  # empty: the staged folder takes its place
            staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_csv_file(text: pd.DataFrame, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(text.columns)
        writer.writerows(zip(*(text[name].tolist() for name in text.columns), strict=True))


def _write_xlsx_file(texts: dict[str, pd.DataFrame], path: Path, *, overwrite: bool) -> None:
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path.name}: an .xlsx workbook's name must end in .xlsx")
    if path.is_dir():
        raise FileExistsError(f"{path} is a folder: an .xlsx workbook is written as a file")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists: choose a new name, or overwrite it")
    for name, text in texts.items():
        if len(text) + 1 > XLSX_MAX_ROWS:
            raise ValueError(f"{name} has {len(text)} rows, more than a sheet holds: use CSV")
        if name in TABLE_MAP:
            _refuse_text_over_cell_limit(TABLE_MAP[name], text)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = _temporary_beside(path)
    book = openpyxl.Workbook(write_only=True)
    try:
        for table in TABLES:
            _write_sheet(book.create_sheet(table.name), table, texts[table.name])
        for name in READ_ONLY_TABLES:
            if name in texts:
                sheet = book.create_sheet(name)
                text = texts[name]
                sheet.append([text_cell(sheet, str(c)) for c in text.columns])
                for row in zip(*(text[c].tolist() for c in text.columns), strict=True):
                    sheet.append([text_cell(sheet, str(v)) for v in row])  # never a formula
        book.save(staging)
        os.replace(staging, path)
    except BaseException as error:
        staging.unlink(missing_ok=True)
        _discard(book)
        if isinstance(error, OSError):
            raise not_written(error, path) from None
        raise


def not_written(error: OSError, path: Path) -> OSError:
    """A write that failed (a full disk, a quota, a device gone) as a refusal naming the file
    and why; the caller has removed what it had written."""
    why = error.strerror or str(error)
    return OSError(error.errno, f"{path} was not written ({why}); nothing of it was left behind")


def _discard(book: openpyxl.Workbook) -> None:
    """Close a write-only workbook's half-written sheets and remove their temporary files, so
    that nothing is left behind and no generator reports an error when collected."""
    for sheet in book.worksheets:
        writer = getattr(sheet, "_writer", None)
        for stream in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
            with contextlib.suppress(Exception):
                stream.close()  # type: ignore[union-attr]
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            with contextlib.suppress(OSError):
                os.unlink(out)


def _refuse_text_over_cell_limit(table: Table, text: pd.DataFrame) -> None:
    """Refuse, naming the sheet row and the record, a text a cell cannot hold."""
    for name in text.columns:
        lengths = text[name].str.len()
        if not len(lengths) or lengths.max() <= XLSX_MAX_CELL_TEXT:
            continue
        position = int(lengths.to_numpy().argmax())
        identity = ", ".join(f"{key} {text[key].iloc[position]}" for key in table.identity)
        raise TooLongForSpreadsheet(
            f"{table.name} row {position + 2} ({identity}): its {name} has "
            f"{int(lengths.iloc[position]):,} characters, more than a spreadsheet cell holds "
            f"({XLSX_MAX_CELL_TEXT:,}); export as CSV (--format csv), which holds any length"
        )


def _write_sheet(sheet: WriteOnlyWorksheet, table: Table, text: pd.DataFrame) -> None:
    """Cells typed by their column (numbers, dates, booleans), so the sheet works in Excel."""
    names = list(text.columns)
    sheet.append(names)
    kinds = [
        table.column_map[name].type if name in table.column_map else "number" for name in names
    ]
    for row in text.itertuples(index=False):
        sheet.append([_cell(sheet, kind, value) for kind, value in zip(kinds, row, strict=True)])


def _cell(sheet: WriteOnlyWorksheet, kind: str, value: str) -> WriteOnlyCell | None:
    if value == "":
        return None
    if kind == "bool":
        cell = WriteOnlyCell(sheet, value=value == "true")
    elif kind == "date":
        cell = WriteOnlyCell(sheet, value=dt.date.fromisoformat(value))
    elif kind in ("number", "probability"):
        # openpyxl would write a float with 16 significant digits, which does not always read
        # back the same float; the exact shortest text, typed as a number, does.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "n"
    else:
        cell = text_cell(sheet, value)
    return cell
