"""Reading one .xlsx: sheets named like tables, typed cells spelled as the format spells them."""

import datetime as dt
import zipfile
from pathlib import Path

from tests.workbook.builders import located, read_and_validate, write_xlsx
from tracker.workbook.read import read_workbook

INDICATOR_VALUES = ["institution", "indicator", "period", "value", "source", "note"]


def test_typed_cells_become_the_formats_text(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "workbook.xlsx",
        {
            "leadership": [
                ["institution", "role", "holder", "start", "end", "key_role", "notes"],
                ["n", "ceo", "A", dt.date(2016, 1, 4), dt.datetime(2018, 3, 31, 17, 30), True, 12],
                ["n", "ceo", "B", dt.datetime(2018, 4, 1), None, False, 12.0],
                ["n", "ceo", "C", "2019-01-01", None, 1, 0.1],
                ["n", "ceo", "D", "2020-01-01", None, 0, 1e-05],
            ]
        },
    )
    raw = read_workbook(path)
    assert raw.problems == []
    frame = raw.tables["leadership"]
    assert frame["start"].tolist() == ["2016-01-04", "2018-04-01", "2019-01-01", "2020-01-01"]
    assert frame["end"].tolist() == ["2018-03-31", "", "", ""]
    assert frame["key_role"].tolist() == ["true", "false", "1", "0"]
    assert frame["notes"].tolist() == ["12", "12", "0.1", "1e-05"]
    assert raw.sources["leadership"] == "workbook.xlsx [leadership]"


def test_problems_name_the_workbook_sheet_and_sheet_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "workbook.xlsx",
        {
            "indicators": [
                ["key", "name", "unit", "higher_is_better"],
                ["trust", "Trust", "score", True],
            ],
            "institutions": [["key", "name", "kind"], ["n", "North", "local_authority"]],
            "indicator_values": [
                INDICATOR_VALUES,
                ["n", "trust", "2024Q1", 61],
                [None, None, None, None],  # an empty row is ignored, but rows still count
                ["n", "trust", "2024Q2", "sixty"],
            ],
        },
    )
    dataset, problems = read_and_validate(path)
    assert located(problems) == [("workbook.xlsx [indicator_values]", 4, "value")]
    assert list(dataset["indicator_values"].index) == [2]


def test_unknown_sheet_name_is_a_problem(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "workbook.xlsx",
        {"Sheet1": [["a"]], "institutions": [["key", "name", "kind"]], "Partners": [["x"]]},
    )
    raw = read_workbook(path)
    assert located(raw.problems) == [
        ("workbook.xlsx [Sheet1]", None, None),
        ("workbook.xlsx [Partners]", None, None),
    ]
    assert 'did you mean "partners"?' in raw.problems[1].message
    assert set(raw.tables) == {"institutions"}


def test_cell_right_of_the_header_is_a_problem(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "workbook.xlsx",
        {"portfolios": [["portfolio", "institution"], ["f", "n", None], ["f", "m", None, "x"]]},
    )
    raw = read_workbook(path)
    assert located(raw.problems) == [("workbook.xlsx [portfolios]", 3, None)]
    assert "D3" in raw.problems[0].message
    assert list(raw.tables["portfolios"].index) == [2]


def test_empty_sheet_is_a_problem(tmp_path: Path) -> None:
    raw = read_workbook(write_xlsx(tmp_path / "workbook.xlsx", {"partners": []}))
    assert located(raw.problems) == [("workbook.xlsx [partners]", None, None)]


def test_corrupt_or_foreign_file_named_xlsx_is_a_problem(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert located(read_workbook(garbage).problems) == [("garbage.xlsx", None, None)]
    foreign = tmp_path / "foreign.xlsx"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    problems = read_workbook(foreign).problems
    assert located(problems) == [("foreign.xlsx", None, None)]
    assert "not a readable .xlsx" in problems[0].message


def test_damaged_sheet_inside_a_valid_zip_is_a_problem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "workbook.xlsx", {"partners": [["institution", "partner"]]})
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    raw = read_workbook(damaged)
    assert raw.problems, "a truncated sheet must be reported"
    assert all(problem.file.startswith("damaged.xlsx") for problem in raw.problems)
