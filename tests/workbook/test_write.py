"""Writing: every table, deterministic to the byte, atomic, and never over existing work."""

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.workbook.builders import VALID, read_and_validate, write_csv_folder
from tracker.dataset import Dataset
from tracker.workbook import write as write_module
from tracker.workbook.schema import TABLES
from tracker.workbook.write import write_workbook


def hand_made_dataset() -> Dataset:
    """A data set written by hand, with the values that are easy to get wrong."""
    return Dataset.from_frames(
        {
            "places": pd.DataFrame(
                {
                    "key": ["southdale", "northdale"],
                    "name": ["Southdale", "Northdale"],
                    "notes": [None, "coastal, rural"],
                    "context:median_age": [41.0, 39.5],
                    "context:fsm_share": [0.1 + 0.2, 1e-05],
                }
            ),
            "institutions": pd.DataFrame(
                {
                    "key": ["n-council", "s-school"],
                    "name": ["Northdale Council", "Café — “Ñ” school"],
                    "kind": ["local_authority", "school"],
                    "place": ["northdale", "southdale"],
                    "parent": [None, None],
                    "notes": ['=SUM(A1) is text, "quoted"', "two\nlines"],
                }
            ),
            "indicators": pd.DataFrame(
                {
                    "key": ["trust"],
                    "name": ["Resident trust"],
                    "unit": ["score"],
                    "higher_is_better": [True],
                }
            ),
            "leadership": pd.DataFrame(
                {
                    "institution": ["n-council", "n-council"],
                    "role": ["chief_executive", "chief_executive"],
                    "holder": ["B", "A"],
                    "start": [dt.date(2018, 4, 1), dt.date(2016, 1, 4)],
                    "end": [None, dt.date(2018, 3, 31)],
                    "key_role": [True, False],
                }
            ),
            "indicator_values": pd.DataFrame(
                {
                    "institution": ["n-council"] * 4,
                    "indicator": ["trust"] * 4,
                    "period": ["2018Q2", "2017Q4", "2018Q1", "2019Q1"],
                    "value": [12.0, 1e20, -0.0001, 123456789.123456789],
                }
            ),
            "claims": pd.DataFrame(
                {"key": ["c1"], "institution": ["n-council"], "statement": ["S"], "prior": [0.5]}
            ),
        }
    )


def csv_files(folder: Path) -> dict[str, bytes]:
    return {file.name: file.read_bytes() for file in sorted(folder.iterdir())}


def xlsx_cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_every_table_is_written_header_only_when_empty(tmp_path: Path) -> None:
    write_workbook(Dataset(), tmp_path / "out", format="csv")
    assert sorted(file.name for file in (tmp_path / "out").iterdir()) == sorted(
        table.filename for table in TABLES
    )
    text = (tmp_path / "out" / "leadership.csv").read_bytes()
    assert text == b"institution,role,holder,start,end,key_role,notes,interim,shared\n"


def test_columns_in_schema_order_context_sorted_rows_by_identity(tmp_path: Path) -> None:
    write_workbook(hand_made_dataset(), tmp_path / "out", format="csv")
    places = (tmp_path / "out" / "places.csv").read_text(encoding="utf-8")
    assert places == (
        "key,name,notes,context:fsm_share,context:median_age\n"
        'northdale,Northdale,"coastal, rural",1e-05,39.5\n'
        "southdale,Southdale,,0.30000000000000004,41\n"
    )
    leadership = (tmp_path / "out" / "leadership.csv").read_text(encoding="utf-8")
    assert leadership.splitlines()[1:] == [
        "n-council,chief_executive,A,2016-01-04,2018-03-31,false,,,",
        "n-council,chief_executive,B,2018-04-01,,true,,,",
    ]
    values = (tmp_path / "out" / "indicator_values.csv").read_text(encoding="utf-8")
    assert [line.split(",")[2:4] for line in values.splitlines()[1:]] == [
        ["2017Q4", "1e+20"],
        ["2018Q1", "-0.0001"],
        ["2018Q2", "12"],
        ["2019Q1", "123456789.12345679"],
    ]


def test_csv_is_utf8_without_bom_with_lf_line_ends(tmp_path: Path) -> None:
    write_workbook(hand_made_dataset(), tmp_path / "out", format="csv")
    data = (tmp_path / "out" / "institutions.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "Café — “Ñ” school".encode() in data
    assert b"\r\n" not in data


def test_csv_round_trip_is_identical_to_the_byte(tmp_path: Path) -> None:
    write_workbook(hand_made_dataset(), tmp_path / "first", format="csv")
    dataset, problems = read_and_validate(tmp_path / "first")
    assert problems == []
    write_workbook(dataset, tmp_path / "second", format="csv")
    assert csv_files(tmp_path / "second") == csv_files(tmp_path / "first")


def test_valid_workbook_round_trips_through_csv(tmp_path: Path) -> None:
    dataset, _ = read_and_validate(write_csv_folder(tmp_path / "wb", {}))
    write_workbook(dataset, tmp_path / "first", format="csv")
    again, problems = read_and_validate(tmp_path / "first")
    assert problems == []
    write_workbook(again, tmp_path / "second", format="csv")
    assert csv_files(tmp_path / "second") == csv_files(tmp_path / "first")
    assert b'"Survey, annual"' in (tmp_path / "first" / "indicators.csv").read_bytes()


def test_xlsx_round_trip_gives_the_same_cells_and_the_same_data(tmp_path: Path) -> None:
    write_workbook(hand_made_dataset(), tmp_path / "first.xlsx", format="xlsx")
    dataset, problems = read_and_validate(tmp_path / "first.xlsx")
    assert problems == []
    write_workbook(dataset, tmp_path / "second.xlsx", format="xlsx")
    assert xlsx_cells(tmp_path / "second.xlsx") == xlsx_cells(tmp_path / "first.xlsx")
    # Through xlsx and back, the data is the data: its CSV is the CSV of the original.
    write_workbook(hand_made_dataset(), tmp_path / "direct", format="csv")
    write_workbook(dataset, tmp_path / "via-xlsx", format="csv")
    assert csv_files(tmp_path / "via-xlsx") == csv_files(tmp_path / "direct")


def test_xlsx_cells_are_typed_and_text_is_never_a_formula(tmp_path: Path) -> None:
    write_workbook(hand_made_dataset(), tmp_path / "out.xlsx", format="xlsx")
    cells = xlsx_cells(tmp_path / "out.xlsx")
    assert [sheet for sheet in cells] == [table.name for table in TABLES]
    assert cells["leadership"][1][3] == dt.datetime(2016, 1, 4)
    assert cells["leadership"][1][5] is False
    assert cells["places"][2][3] == 0.1 + 0.2  # exact, not rounded to 16 digits
    assert cells["indicator_values"][3][3] == 12
    assert cells["institutions"][1][5] == '=SUM(A1) is text, "quoted"'


def test_refuses_to_overwrite_a_non_empty_folder_or_a_file(tmp_path: Path) -> None:
    write_workbook(Dataset(), tmp_path / "out", format="csv")
    with pytest.raises(FileExistsError):
        write_workbook(hand_made_dataset(), tmp_path / "out", format="csv")
    assert (tmp_path / "out" / "places.csv").read_text() == "key,name,notes\n"
    write_workbook(Dataset(), tmp_path / "out.xlsx", format="xlsx")
    with pytest.raises(FileExistsError):
        write_workbook(Dataset(), tmp_path / "out.xlsx", format="xlsx")
    with pytest.raises(FileExistsError):
        write_workbook(Dataset(), tmp_path / "out.xlsx", format="csv")


def test_an_existing_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    write_workbook(Dataset(), tmp_path / "out", format="csv")
    assert len(list((tmp_path / "out").iterdir())) == len(TABLES)


def test_overwrite_replaces_the_workbook_files_and_keeps_others(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "out", {"README.md": "# notes\n"})
    write_workbook(hand_made_dataset(), folder, format="csv", overwrite=True)
    assert (folder / "README.md").read_text() == "# notes\n"
    assert (folder / "places.csv").read_text().startswith("key,name,notes,context:fsm_share")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
    write_workbook(Dataset(), tmp_path / "out.xlsx", format="xlsx")
    write_workbook(hand_made_dataset(), tmp_path / "out.xlsx", format="xlsx", overwrite=True)
    assert len(xlsx_cells(tmp_path / "out.xlsx")["places"]) == 3


def test_failure_while_writing_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write_module._column_text
    calls = {"count": 0}

    def failing(*args: object, **kwargs: object) -> pd.Series:
        calls["count"] += 1
        if calls["count"] > 40:
            raise OSError("disk full")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module, "_column_text", failing)
    with pytest.raises(OSError):
        write_workbook(hand_made_dataset(), tmp_path / "out", format="csv")
    assert list(tmp_path.iterdir()) == []


def test_failure_while_saving_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_csv_folder(tmp_path / "out", {})
    before = csv_files(folder)
    original = write_module._write_csv_file
    written = {"count": 0}

    def failing_after_some_files(text: pd.DataFrame, path: Path) -> None:
        written["count"] += 1
        original(text, path)
        if written["count"] == 5:
            raise OSError("disk full")

    monkeypatch.setattr(write_module, "_write_csv_file", failing_after_some_files)
    with pytest.raises(OSError):
        write_workbook(hand_made_dataset(), folder, format="csv", overwrite=True)
    assert written["count"] == 5
    assert csv_files(folder) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_xlsx_name_must_end_in_xlsx(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_workbook(Dataset(), tmp_path / "out.xls", format="xlsx")


def test_valid_fixture_is_what_the_writer_would_write_apart_from_order(tmp_path: Path) -> None:
    # Guards the fixture: every file of VALID has the schema's columns, so a round trip adds
    # nothing but defaults.
    dataset, _ = read_and_validate(write_csv_folder(tmp_path / "wb", {}))
    write_workbook(dataset, tmp_path / "out", format="csv")
    header = (tmp_path / "out" / "evidence.csv").read_text().splitlines()[0]
    assert header == VALID["evidence"].splitlines()[0]


def test_carriage_returns_in_cells_are_written_as_line_feeds(tmp_path: Path) -> None:
    dataset = Dataset.from_frames(
        {"places": pd.DataFrame({"key": ["p"], "name": ["P"], "notes": ["a\rb\r\nc"]})}
    )
    write_workbook(dataset, tmp_path / "out", format="csv")
    assert (tmp_path / "out" / "places.csv").read_bytes() == b'key,name,notes\np,P,"a\nb\nc"\n'
