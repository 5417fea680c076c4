"""Reading a folder of CSV files: what is accepted, and every way a file can be unreadable."""

from pathlib import Path

from tests.workbook.builders import VALID, located, read_and_validate, write_csv_folder
from tracker.workbook.read import read_workbook

HEADER = "institution,indicator,period,value,source,note"


def test_valid_workbook_reads_every_table_as_strings(tmp_path: Path) -> None:
    raw = read_workbook(write_csv_folder(tmp_path / "wb", {}))
    assert raw.problems == []
    assert set(raw.tables) == set(VALID)
    values = raw.tables["indicator_values"]
    assert list(values.columns) == HEADER.split(",")
    assert values.loc[3, "value"] == "62.5"
    assert values.loc[2, "note"] == ""
    assert all(isinstance(cell, str) for cell in values.to_numpy().ravel())
    assert raw.sources["indicator_values"] == "indicator_values.csv"


def test_index_is_the_spreadsheet_row_number(tmp_path: Path) -> None:
    raw = read_workbook(write_csv_folder(tmp_path / "wb", {}))
    assert list(raw.tables["institutions"].index) == [2, 3, 4]
    assert raw.tables["institutions"].index.name == "row"


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    content = "\ufeff" + VALID["indicator_values"].replace("\n", "\r\n")
    folder = write_csv_folder(tmp_path / "wb", {"indicator_values": content.encode("utf-8")})
    dataset, problems = read_and_validate(folder)
    assert problems == []
    assert list(dataset["indicator_values"].columns)[:2] == ["institution", "indicator"]
    assert dataset["indicator_values"]["value"].tolist() == [61.0, 62.5, 0.125]
    assert dataset["indicator_values"]["source"].tolist() == ["survey", "survey", "admin"]


def test_quoted_commas_and_line_breaks_are_one_cell_and_rows_count_as_a_spreadsheet_does(
    tmp_path: Path,
) -> None:
    content = (
        f"{HEADER}\n"
        'northdale-council,resident_trust,2017Q4,61,"survey, wave 1","two\nlines"\n'
        "northdale-council,resident_trust,2018Q1,oops,survey,\n"
    )
    folder = write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    raw = read_workbook(folder)
    frame = raw.tables["indicator_values"]
    assert frame.loc[2, "source"] == "survey, wave 1"
    assert frame.loc[2, "note"] == "two\nlines"
    _, problems = read_and_validate(folder)
    # The bad value is on the second data row: row 3, though it is the file's fourth line.
    assert located(problems) == [("indicator_values.csv", 3, "value")]


def test_undecodable_bytes_name_the_file_and_line(tmp_path: Path) -> None:
    content = f"{HEADER}\nnorthdale-council,resident_trust,2017Q4,61,caf\xe9,\n".encode("latin-1")
    _, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    )
    assert located(problems) == [("indicator_values.csv", 2, None)]
    assert "UTF-8" in problems[0].message


def test_nul_byte_is_a_problem_not_a_truncated_cell(tmp_path: Path) -> None:
    content = f"{HEADER}\nnorthdale-council,resident_trust,2017Q4,6\x001,survey,\n".encode()
    _, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    )
    assert located(problems) == [("indicator_values.csv", 2, None)]


def test_ragged_rows_with_more_or_fewer_fields_are_problems_and_left_out(tmp_path: Path) -> None:
    content = (
        f"{HEADER}\n"
        "northdale-council,resident_trust,2017Q4,61,survey,,extra\n"
        "northdale-council,resident_trust,2018Q1,62.5,survey,\n"
        "northdale-council,resident_trust,2018Q2,63\n"
    )
    folder = write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    dataset, problems = read_and_validate(folder)
    assert located(problems) == [
        ("indicator_values.csv", 2, None),
        ("indicator_values.csv", 4, None),
    ]
    assert "7 fields but the header has 6" in problems[0].message
    assert list(dataset["indicator_values"].index) == [3]


def test_blank_lines_are_ignored_but_still_counted(tmp_path: Path) -> None:
    content = (
        f"{HEADER}\n"
        "\n"
        "northdale-council,resident_trust,2017Q4,61,survey,\n"
        " , ,,,,\n"
        "northdale-council,resident_trust,2018Q1,bad,survey,\n"
    )
    _, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    )
    assert located(problems) == [("indicator_values.csv", 5, "value")]


def test_empty_file_is_a_problem(tmp_path: Path) -> None:
    for content in (b"", b"\xef\xbb\xbf", b"\n\n  \n"):
        folder = write_csv_folder(tmp_path / f"wb{len(content)}", {"partners": content})
        _, problems = read_and_validate(folder)
        assert located(problems) == [("partners.csv", None, None)]
        assert "empty" in problems[0].message


def test_header_only_file_is_an_empty_table(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "wb", {"partners": "institution,partner,start"})
    dataset, problems = read_and_validate(folder)
    assert problems == []
    assert len(dataset["partners"]) == 0


def test_unclosed_quote_is_a_problem_naming_the_row(tmp_path: Path) -> None:
    content = f'{HEADER}\nnorthdale-council,resident_trust,2017Q4,61,"survey,\n'
    _, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    )
    assert located(problems) == [("indicator_values.csv", 2, None)]
    assert "never closed" in problems[0].message


def test_duplicated_and_blank_header_names_are_problems(tmp_path: Path) -> None:
    content = "institution,partner,start,,partner\nnorthdale-council,civic-lab,2016-06-01,,x\n"
    folder = write_csv_folder(tmp_path / "wb", {"partners": content})
    raw = read_workbook(folder)
    assert located(raw.problems) == [("partners.csv", 1, None), ("partners.csv", 1, "partner")]
    assert "column D" in raw.problems[0].message
    # The first "partner" column is kept: a later copy cannot silently override it.
    assert raw.tables["partners"].loc[2, "partner"] == "civic-lab"


def test_header_names_are_trimmed(tmp_path: Path) -> None:
    content = " institution , partner,start\nnorthdale-council,civic-lab,2016-06-01\n"
    dataset, problems = read_and_validate(write_csv_folder(tmp_path / "wb", {"partners": content}))
    assert problems == []
    assert dataset["partners"]["partner"].tolist() == ["civic-lab"]


def test_csv_file_with_an_unknown_name_is_a_problem(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "wb", {"evidnce": "key\n", "README.md": "# notes\n"})
    _, problems = read_and_validate(folder)
    assert located(problems) == [("evidnce.csv", None, None)]
    assert 'did you mean "evidence.csv"?' in problems[0].message


def test_hidden_files_and_other_files_are_ignored(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "wb", {".~lock.places.csv#": "x", "._places.csv": "x"})
    _, problems = read_and_validate(folder)
    assert problems == []


def test_missing_path_or_other_kind_of_file_is_a_problem(tmp_path: Path) -> None:
    raw = read_workbook(tmp_path / "nowhere")
    assert located(raw.problems) == [("nowhere", None, None)]
    text = tmp_path / "workbook.ods"
    text.write_text("x")
    assert located(read_workbook(text).problems) == [("workbook.ods", None, None)]
    single = tmp_path / "places.csv"
    single.write_text(VALID["places"])
    assert "give the folder" in read_workbook(single).problems[0].message


def test_folder_without_workbook_files_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert located(read_workbook(tmp_path / "empty").problems) == [("empty", None, None)]


def test_problems_of_one_file_do_not_hide_those_of_another(tmp_path: Path) -> None:
    folder = write_csv_folder(
        tmp_path / "wb",
        {
            "partners": b"institution,partner,start\nnorthdale-council,caf\xe9,2016-06-01\n",
            "activities": "institution,kind,title,start\nnorthdale-council,training,T,2016-13-01\n",
        },
    )
    _, problems = read_and_validate(folder)
    assert located(problems) == [("partners.csv", 2, None), ("activities.csv", 2, "start")]
