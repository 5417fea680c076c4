"""Read a workbook (a folder of CSV files or one `.xlsx`) into strings, collecting problems.

Reading interprets nothing: every cell stays the text the user wrote (typed `.xlsx` cells are
spelled the way the format writes them). `validate.validate_workbook` gives the text meaning.
Reading never raises on bad content: whatever is wrong becomes a `Problem`.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from tracker.workbook.csv_reader import read_csv_table
from tracker.workbook.problems import Problem
from tracker.workbook.raw import RawWorkbook
from tracker.workbook.schema import READ_ONLY_TABLES, TABLE_MAP, TABLE_NAMES
from tracker.workbook.xlsx_reader import read_xlsx_workbook

__all__ = ["RawWorkbook", "read_workbook"]


def read_workbook(path: Path) -> RawWorkbook:
    """Read the workbook at `path`: a folder of `TABLE.csv` files, or one `.xlsx` file.

    In a folder, a `.csv` file whose name is not a table of the format is a problem (a typo
    in a file name must not drop a table silently); other files (README.md, …) and hidden
    files (names starting with ".", such as editors' lock files) are ignored.
    """
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        return _refused(path, "there is no such file or folder")
    if path.suffix.lower() == ".xlsx":
        return read_xlsx_workbook(path)
    if path.suffix.lower() == ".csv":
        return _refused(path, "a workbook is the folder that holds the CSV files: give the folder")
    return _refused(path, "a workbook is a folder of CSV files or one .xlsx file")


def _refused(path: Path, message: str) -> RawWorkbook:
    return RawWorkbook(path, problems=[Problem(path.name or str(path), None, None, message)])


def _read_folder(folder: Path) -> RawWorkbook:
    raw = RawWorkbook(folder)
    try:
        files = sorted(
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() == ".csv" and not entry.name.startswith(".")
        )
    except OSError as error:
        return _refused(folder, f"the folder cannot be read ({error.strerror})")
    for file in files:
        if file.is_dir():
            continue
        if file.stem in READ_ONLY_TABLES:  # written by an export for people to read
            continue
        if file.stem not in TABLE_MAP:
            raw.problems.append(Problem(file.name, None, None, _unknown_file(file.stem)))
            continue
        if file.stem in raw.sources:  # e.g. places.csv and places.CSV
            raw.problems.append(
                Problem(file.name, None, None, f"a second file for {raw.sources[file.stem]}")
            )
            continue
        raw.sources[file.stem] = file.name
        frame, problems = read_csv_table(file, file.name)
        raw.problems.extend(problems)
        if frame is None:
            raw.unreadable.add(file.stem)
        else:
            raw.tables[file.stem] = frame
    if not files:
        raw.problems.append(
            Problem(
                folder.name or str(folder),
                None,
                None,
                "the folder holds no CSV file of the workbook format (e.g. institutions.csv)",
            )
        )
    return raw


def _unknown_file(stem: str) -> str:
    guess = difflib.get_close_matches(stem.lower(), TABLE_NAMES, n=1)
    hint = f'; did you mean "{guess[0]}.csv"?' if guess else ""
    return f"this file name is not a table of the workbook format{hint}"
