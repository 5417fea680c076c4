"""Issue 25: a spreadsheet is read as a person sees it, and reading it is bounded.

Through `tracker import` as it came (refused, the cell named, nothing written), and through the
workbook reader for what reading may cost: hidden and zero-width columns, rows of zero height,
number formats that hide a value (`;;;`), dates read as the day shown (never rounded into the
next day; a day that does not exist refused), and workbooks that would cost more to read than
any workbook of the format needs.
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from tests.commands.conftest import Tracker
from tests.commands.test_nothing_misread import _institutions, _refused, _valid_xlsx
from tracker import models
from tracker.workbook import read_xlsx_cells
from tracker.workbook.read import read_workbook

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _hidden_column(book: openpyxl.Workbook) -> None:
    book["leadership"]["G2"] = "acting"
    book["leadership"].column_dimensions["G"].hidden = True


def _zero_width_column(book: openpyxl.Workbook) -> None:
    book["leadership"]["G3"] = "acting"
    book["leadership"].column_dimensions["G"].width = 7.25  # made 0 in the file below


def _with_zero_width(path: Path) -> None:
    """openpyxl writes no width or height of 0: change the ones written, as Excel saves them."""
    data = {}
    with zipfile.ZipFile(path) as source:
        for part in source.infolist():
            data[part.filename] = source.read(part).replace(b'width="7.25"', b'width="0"').replace(
                b'ht="7.25"', b'ht="0"')
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, content in data.items():
            target.writestr(name, content)


def _zero_height_row(book: openpyxl.Workbook) -> None:
    book["leadership"].row_dimensions[3].height = 7.25  # made 0 in the file below


def _hiding_format(book: openpyxl.Workbook) -> None:
    book["indicator_values"]["D3"] = 62.5
    book["indicator_values"]["D3"].number_format = ";;;"


def _hiding_format_for_negatives(book: openpyxl.Workbook) -> None:
    book["indicator_values"]["D3"] = -62.5
    book["indicator_values"]["D3"].number_format = "0.0;;0"


def _hiding_format_for_text(book: openpyxl.Workbook) -> None:
    book["leadership"]["C2"].number_format = '0;-0;0;""'  # hides the text "A. Smith"


def _day_that_never_was(book: openpyxl.Workbook) -> None:
    book["decisions"]["C2"] = 60  # the serial Excel shows as 1900-02-29
    book["decisions"]["C2"].number_format = "yyyy-mm-dd"


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_hidden_column, "wb.xlsx [leadership], row 2: cell G2 holds a value in the hidden "
                         "column G"),
        (_zero_width_column, "wb.xlsx [leadership], row 3: cell G3 holds a value in the hidden "
                             "column G"),
        (_zero_height_row, "wb.xlsx [leadership], row 3: row 3 has zero height but holds "
                           "values"),
        (_hiding_format, "wb.xlsx [indicator_values], row 3: cell D3 holds a value its number "
                         "format hides (;;;)"),
        (_hiding_format_for_negatives, "row 3: cell D3 holds a value its number format hides "
                                       "(0.0;;0)"),
        (_hiding_format_for_text, "wb.xlsx [leadership], row 2: cell C2 holds a value its "
                                  "number format hides"),
        (_day_that_never_was, "wb.xlsx [decisions], row 2: cell C2 holds the date serial 60, a "
                              "day that does not exist"),
    ],
    ids=["hidden-column", "zero-width-column", "zero-height-row", "format-;;;",
         "format-hides-negatives", "format-hides-text", "1900-02-29"],
)
def test_what_a_person_does_not_see_is_refused_with_the_cell_named(
    tracker: Tracker, engine: Engine, tmp_path: Path,
    edit: Callable[[openpyxl.Workbook], None], expected: str,
) -> None:
    path = _valid_xlsx(tmp_path / "wb.xlsx", edit)
    if edit in (_zero_width_column, _zero_height_row):
        _with_zero_width(path)
    _refused(tracker("import", str(path), "--dry-run"), expected)
    _refused(tracker("import", str(path)), expected, "Nothing was written")
    assert _institutions(engine) == 0


@SQLITE_ONLY
@pytest.mark.parametrize("moment", [
    dt.datetime(2019, 2, 1, 23, 59, 59, 999990),  # shown 2019-02-01, the next day to the second
    dt.datetime(2019, 2, 1, 23, 59, 59),
    dt.datetime(2019, 2, 1, 12, 0),
])
def test_a_date_is_read_as_the_day_shown(
    tracker: Tracker, engine: Engine, tmp_path: Path, moment: dt.datetime
) -> None:
    def late_in_the_day(book: openpyxl.Workbook) -> None:
        book["decisions"]["C2"] = moment
        book["decisions"]["C2"].number_format = "yyyy-mm-dd"

    ran = tracker("import", str(_valid_xlsx(tmp_path / "wb.xlsx", late_in_the_day)))
    assert ran.exit_code == 0, ran.stderr
    with engine.connect() as conn:
        stored = conn.execute(select(models.Decision.date)).scalar_one()
    assert stored == dt.date(2019, 2, 1)


def test_serials_read_as_the_days_excel_shows() -> None:
    epoch = dt.datetime(1899, 12, 30)
    shown = read_xlsx_cells.shown_day
    assert shown(1, epoch) == dt.date(1900, 1, 1)
    assert shown(59, epoch) == dt.date(1900, 2, 28)
    assert shown(60, epoch) is None and shown(0.5, epoch) is None
    assert shown(61, epoch) == dt.date(1900, 3, 1)
    assert shown(45382.99999999988, epoch) == dt.date(2024, 3, 31)


def test_empty_cells_far_to_the_right_cost_nothing(tmp_path: Path) -> None:
    def formatted_to_xfd(book: openpyxl.Workbook) -> None:
        sheet = book["indicator_values"]
        for row in range(2, 2002):
            sheet[f"XFD{row}"].number_format = "0.00"  # formatted, empty

    path = _valid_xlsx(tmp_path / "wb.xlsx", formatted_to_xfd)
    tracemalloc.start()
    try:
        raw = read_workbook(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raw.problems == []
    table = raw.tables["indicator_values"]
    assert int((table != "").any(axis=1).sum()) == 3  # the three rows with values
    # A row as wide as column XFD (16,384 cells) for each of 2,000 rows would be 260 MB.
    assert peak < 40_000_000, f"reading peaked at {peak:,} bytes"


def test_a_value_beyond_the_widest_column_read_is_refused_naming_the_cell(tmp_path: Path) -> None:
    path = _valid_xlsx(tmp_path / "wb.xlsx",
                       lambda book: book["indicator_values"].cell(row=2, column=16384, value=7))
    problems = [str(p) for p in read_workbook(path).problems]
    assert any("cell XFD2 holds a value beyond column IV" in p for p in problems), problems


def test_a_sheet_of_more_cells_than_reading_is_bounded_to_is_refused_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_xlsx_cells, "MAX_CELLS", 20)
    path = _valid_xlsx(tmp_path / "wb.xlsx", lambda book: None)
    problems = [str(p) for p in read_workbook(path).problems]
    assert any("[indicator_values]: the sheet holds more than 20 cells" in p
               for p in problems), problems


def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused_before_reading(
    tmp_path: Path,
) -> None:
    plain = _valid_xlsx(tmp_path / "plain.xlsx", lambda book: None)
    bomb = tmp_path / "wb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
        bomb, "w", compression=zipfile.ZIP_DEFLATED
    ) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = data.partition(b"?>")
                data = head + b"?>" + b" " * 30_000_000 + rest  # 30 MB of nothing
            target.writestr(part.filename, data)
    assert bomb.stat().st_size < 200_000
    problems = [str(p) for p in read_workbook(bomb).problems]
    assert len(problems) == 1
    assert "its part xl/worksheets/sheet1.xml unpacks to 30,00" in problems[0]
    assert "times its packed size" in problems[0]
