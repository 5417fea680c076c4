"""Issue 16, silent misreading: dates and quarters in the domain, text within the limits the
database and a spreadsheet cell hold, `.xlsx` read as a person sees it, invisible characters
refused. Every case through `tracker import` / `tracker export`, as it came: refused, located,
nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from tests.commands.conftest import Tracker
from tests.workbook.builders import VALID, write_csv_folder
from tracker import models

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _institutions(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(models.Institution)).scalar_one())


def _refused(ran: object, *expected: str) -> str:
    assert ran.exit_code == 1, ran.stdout  # type: ignore[attr-defined]
    message: str = ran.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in message
    for part in expected:
        assert part in message, message
    return message


def _variant(tmp_path: Path, table: str, old: str, new: str) -> Path:
    assert old in VALID[table]
    return write_csv_folder(tmp_path / "wb", {table: VALID[table].replace(old, new, 1)})


# --- 1 and 2: dates and quarters outside the domain -------------------------------------------


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("table", "old", "new", "column", "row"),
    [
        ("leadership", "2016-01-04", "1024-05-01", "start", 2),  # a typo for 2024
        ("leadership", "2016-01-04", "0001-01-01", "start", 2),
        ("leadership", "2018-03-31", "9999-12-31", "end", 2),
        ("decisions", "2019-02-01", "2101-01-01", "date", 2),
        ("indicator_values", "2017Q4", "9999Q4", "period", 2),
        ("indicator_values", "2017Q4", "0000Q1", "period", 2),
    ],
)
def test_date_or_quarter_outside_the_years_is_refused_with_its_place(
    tracker: Tracker, engine: Engine, tmp_path: Path,
    table: str, old: str, new: str, column: str, row: int,
) -> None:
    workbook = _variant(tmp_path, table, old, new)
    for dry_run in ((), ("--dry-run",)):
        message = _refused(
            tracker("import", str(workbook), *dry_run),
            f'{table}.csv, row {row}, column "{column}"',
            f'"{new}" is outside the years this tool accepts (1900 to 2100',
            "Nothing was written",
        )
        assert "1678" not in message
    assert _institutions(engine) == 0


@SQLITE_ONLY
def test_years_setting_narrows_the_domain(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_YEARS", "2017-2030")
    _refused(
        tracker("import", str(write_csv_folder(tmp_path / "wb", {}))),
        'factors.csv, row 2, column "start"',
        '"2010-06-01" is outside the years this tool accepts (2017 to 2030',
    )


def test_the_database_refuses_a_date_or_quarter_outside_the_domain(engine: Engine) -> None:
    """Whatever writes (a script, an old client), the analysis never meets such a date."""
    with engine.begin() as conn:
        conn.execute(insert(models.Institution).values(key="a", name="A", kind="school"))
        institution = conn.execute(select(models.Institution.id)).scalar_one()
        conn.execute(
            insert(models.Indicator).values(key="i", name="I", unit="%", higher_is_better=True)
        )
        indicator = conn.execute(select(models.Indicator.id)).scalar_one()
    attempts: list[tuple[type[models.Base], dict[str, object]]] = [
        (models.StructuralChange, {"key": "c", "title": "T", "kind": "governance",
                                   "adopted": dt.date(1024, 5, 1)}),
        (models.Decision, {"key": "d", "title": "T", "date": dt.date(2193, 6, 8)}),
        (models.LeadershipTenure, {"role": "r", "holder": "h", "start": dt.date(2020, 1, 1),
                                   "end": dt.date(9999, 12, 31)}),
        (models.IndicatorValue, {"indicator_id": indicator, "period": "9999Q4", "value": 1.0}),
        (models.Observation, {"period": "2020Q5", "narrative": "n"}),
    ]
    for model, values in attempts:
        with pytest.raises(IntegrityError, match="in_domain"), engine.begin() as conn:
            conn.execute(insert(model).values(institution_id=institution, **values))


# --- lengths: the same limits on SQLite and PostgreSQL, at validation -------------------------


def test_title_longer_than_its_column_is_refused_the_same_on_both_databases(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    long_title = "Budget panel " + "x" * 300
    workbook = _variant(tmp_path, "decisions", "Budget panel reinstated", long_title)
    for dry_run in (("--dry-run",), ()):
        _refused(
            tracker("import", str(workbook), *dry_run),
            'decisions.csv, row 2, column "title": this text has 313 characters; this column '
            "holds at most 300",
        )
    assert _institutions(engine) == 0


# --- 3: text over a spreadsheet cell's limit ----------------------------------------------------


def test_export_as_xlsx_refuses_text_a_cell_cannot_hold(
    tracker: Tracker, tmp_path: Path
) -> None:
    long_note = "n" * 40_000
    workbook = _variant(tmp_path, "decisions", "£40k a year", long_note)
    assert tracker("import", str(workbook)).exit_code == 0
    target = tmp_path / "out.xlsx"
    _refused(
        tracker("export", str(target), "--format", "xlsx"),
        "decisions row 2 (key d-budget-panel): its cost_note has 40,000 characters, more than "
        "a spreadsheet cell holds (32,767); export as CSV",
    )
    assert not target.exists()
    assert list(tmp_path.glob(".out.xlsx*")) == []
    # CSV holds it, and reads back whole
    assert tracker("export", str(tmp_path / "csv")).exit_code == 0
    assert long_note in (tmp_path / "csv" / "decisions.csv").read_text(encoding="utf-8")


# --- 4 and 5: .xlsx cells read as a person sees them -------------------------------------------


def _valid_xlsx(path: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """The valid workbook as an .xlsx of text cells, then edited like a person in Excel would."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, content in VALID.items():
        sheet = book.create_sheet(name)
        for row in csv.reader(io.StringIO(content)):
            sheet.append(row)
    edit(book)
    book.save(path)
    return path


def _set_value(sheet: Worksheet, where: str, value: object, number_format: str) -> None:
    sheet[where] = value
    sheet[where].number_format = number_format


@SQLITE_ONLY
def test_percent_cell_is_read_as_the_number_shown_where_the_unit_is_percent(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    # hill-school's staff_turnover (unit "percent") shows 55% in D4
    path = _valid_xlsx(
        tmp_path / "wb.xlsx",
        lambda book: _set_value(book["indicator_values"], "D4", 0.55, "0%"),
    )
    assert tracker("import", str(path)).exit_code == 0
    with engine.connect() as conn:
        stored = conn.execute(
            select(models.IndicatorValue.value).where(models.IndicatorValue.period == "2018Q1")
            .join(models.Indicator).where(models.Indicator.key == "staff_turnover")
        ).scalar_one()
    assert stored == 55


@SQLITE_ONLY
def test_percent_cell_is_refused_where_the_unit_is_not_a_percentage(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    # northdale-council's resident_trust has unit "score"
    path = _valid_xlsx(
        tmp_path / "wb.xlsx",
        lambda book: _set_value(book["indicator_values"], "D2", 0.61, "0.0%"),
    )
    _refused(
        tracker("import", str(path)),
        'wb.xlsx [indicator_values], row 2, column "value": this cell is formatted as a '
        'percentage (it shows 61%) but the unit of "resident_trust" is "score"',
    )
    assert _institutions(engine) == 0


def _merge_optional_cells(book: openpyxl.Workbook) -> None:
    sheet = book["leadership"]  # notes (G) of the first two tenures, merged
    sheet["G2"] = "acting"
    sheet.merge_cells("G2:G3")


def _formula_without_result(book: openpyxl.Workbook) -> None:
    # openpyxl, like many generators, saves a formula with no cached result
    book["indicator_values"]["D3"] = "=D2+1.5"


def _error_value(book: openpyxl.Workbook) -> None:
    book["indicator_values"]["D3"] = "#N/A"


def _division_error(book: openpyxl.Workbook) -> None:
    book["indicator_values"]["D2"] = "#DIV/0!"


def _hidden_row(book: openpyxl.Workbook) -> None:
    book["leadership"].row_dimensions[3].hidden = True


def _hidden_sheet(book: openpyxl.Workbook) -> None:
    book["factors"].sheet_state = "hidden"


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_merge_optional_cells, "wb.xlsx [leadership], row 2: cells G2:G3 are merged"),
        (_formula_without_result, "wb.xlsx [indicator_values], row 3: cell D3 holds a formula "
                                  "(=D2+1.5) whose result was never saved"),
        (_error_value, "wb.xlsx [indicator_values], row 3: cell D3 holds the error value #N/A"),
        (_division_error, "row 2: cell D2 holds the error value #DIV/0!"),
        (_hidden_row, "wb.xlsx [leadership], row 3: row 3 is hidden but holds values"),
        (_hidden_sheet, "wb.xlsx [factors]: this sheet is hidden"),
    ],
)
def test_what_a_person_does_not_see_is_refused_with_the_cell_named(
    tracker: Tracker, engine: Engine, tmp_path: Path,
    edit: Callable[[openpyxl.Workbook], None], expected: str,
) -> None:
    path = _valid_xlsx(tmp_path / "wb.xlsx", edit)
    _refused(tracker("import", str(path), "--dry-run"), expected)
    _refused(tracker("import", str(path)), expected, "Nothing was written")
    assert _institutions(engine) == 0


@SQLITE_ONLY
def test_hidden_sheet_not_named_like_a_table_is_ignored(tracker: Tracker, tmp_path: Path) -> None:
    def scratch(book: openpyxl.Workbook) -> None:
        book.create_sheet("scratch")["A1"] = "my notes"
        book["scratch"].sheet_state = "hidden"

    assert tracker("import", str(_valid_xlsx(tmp_path / "wb.xlsx", scratch))).exit_code == 0


# --- 6: invisible characters in identity columns ----------------------------------------------


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("character", "name"),
    [("\u200b", "U+200B (ZERO WIDTH SPACE)"), ("\u00a0", "U+00A0 (NO-BREAK SPACE)"),
     ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"), ("\t", "U+0009")],
)
def test_invisible_character_in_a_role_is_refused_naming_the_code_point(
    tracker: Tracker, engine: Engine, tmp_path: Path, character: str, name: str
) -> None:
    # B. Jones's role looks like A. Smith's but would be another role: the turnover would hide
    workbook = _variant(
        tmp_path, "leadership", "chief_executive,B. Jones", f"chief{character}executive,B. Jones"
    )
    _refused(
        tracker("import", str(workbook)),
        f'leadership.csv, row 3, column "role": holds an invisible character, {name}',
    )
    assert _institutions(engine) == 0
