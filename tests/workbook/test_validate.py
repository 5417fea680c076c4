"""Validation: every problem named by file, row and column; a typed data set otherwise."""

from pathlib import Path

import pandas as pd
import pytest

from tests.workbook.builders import VALID, located, read_and_validate, write_csv_folder
from tracker.dataset import column_dtype
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.schema import TABLE_MAP
from tracker.workbook.validate import validated_workbook

LEADERSHIP = "institution,role,holder,start,end,key_role,notes\n"
VALUES = "institution,indicator,period,value,source,note\n"


def problems_with(tmp_path: Path, **tables: str) -> list[tuple[str, int | None, str | None]]:
    return located(_problems(tmp_path, tables))


def messages_with(tmp_path: Path, **tables: str) -> list[str]:
    return [problem.message for problem in _problems(tmp_path, tables)]


_checked: dict[tuple[Path, tuple[tuple[str, str], ...]], list[Problem]] = {}


def _problems(tmp_path: Path, tables: dict[str, str]) -> list[Problem]:
    """The problems of the valid workbook with `tables` replaced (checked once per test)."""
    key = (tmp_path, tuple(sorted(tables.items())))
    if key not in _checked:
        _checked[key] = read_and_validate(write_csv_folder(tmp_path / "wb", tables))[1]
    return _checked[key]


def test_valid_workbook_has_no_problem_and_every_row(tmp_path: Path) -> None:
    dataset, problems = read_and_validate(write_csv_folder(tmp_path / "wb", {}))
    assert problems == []
    rows = {"institutions": 3, "indicators": 2, "leadership": 3, "indicator_values": 3}
    rows |= {"evidence": 2, "portfolios": 2}
    assert {name: len(dataset[name]) for name in VALID} == {
        name: rows.get(name, 1) for name in VALID
    }


def test_data_set_has_the_documented_dtypes(tmp_path: Path) -> None:
    dataset, _ = read_and_validate(write_csv_folder(tmp_path / "wb", {}))
    for name, frame in dataset.items():
        for column in TABLE_MAP[name].columns:
            assert str(frame[column.name].dtype) == column_dtype(column), (name, column.name)
    assert dataset["places"]["context:fsm_share"].tolist() == [0.31]
    assert dataset["leadership"]["start"].iloc[0] == pd.Timestamp("2016-01-04")
    assert dataset["institutions"]["parent"].tolist() == [None, None, "hill-trust"]


def test_data_set_rows_keep_their_spreadsheet_row_numbers(tmp_path: Path) -> None:
    dataset, _ = read_and_validate(write_csv_folder(tmp_path / "wb", {}))
    assert list(dataset["institutions"].index) == [2, 3, 4]
    assert dataset["institutions"].index.name == "row"


def test_defaults_fill_empty_optional_cells(tmp_path: Path) -> None:
    dataset, _ = read_and_validate(write_csv_folder(tmp_path / "wb", {}))
    # key_role: empty → true (default), "yes" → true, "false" → false.
    assert dataset["leadership"]["key_role"].tolist() == [True, True, False]
    assert dataset["evidence"]["observed"].tolist() == [True, True]
    assert dataset["evidence"]["supports"].tolist() == [True, True]


def test_defaults_apply_when_an_optional_column_is_absent(tmp_path: Path) -> None:
    dataset, problems = read_and_validate(
        write_csv_folder(
            tmp_path / "wb",
            {"leadership": "institution,role,holder,start\nhill-school,head,C. Patel,2017-09-01\n"},
        )
    )
    assert problems == []
    assert dataset["leadership"]["key_role"].tolist() == [True]
    assert dataset["leadership"]["end"].isna().all()


def test_cells_are_trimmed_of_surrounding_spaces(tmp_path: Path) -> None:
    content = LEADERSHIP + " hill-school , head ,  C. Patel , 2017-09-01 ,, No ,\n"
    dataset, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"leadership": content})
    )
    assert problems == []
    row = dataset["leadership"].iloc[0]
    assert (row["institution"], row["holder"], row["key_role"]) == (
        "hill-school",
        "C. Patel",
        False,
    )


def test_line_breaks_inside_a_cell_are_written_lf(tmp_path: Path) -> None:
    content = LEADERSHIP + 'hill-school,head,C. Patel,2017-09-01,,,"one\r\ntwo\rthree"\r\n'
    dataset, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"leadership": content})
    )
    assert problems == []
    assert dataset["leadership"]["notes"].tolist() == ["one\ntwo\nthree"]


def test_unknown_column_is_a_problem_with_a_suggestion(tmp_path: Path) -> None:
    content = "institution,role,holdr,start\nhill-school,head,C. Patel,2017-09-01\n"
    assert problems_with(tmp_path, leadership=content) == [
        ("leadership.csv", 1, "holdr"),
        ("leadership.csv", 1, "holder"),
    ]
    assert 'did you mean "holder"?' in messages_with(tmp_path, leadership=content)[0]


def test_context_columns_belong_only_in_places(tmp_path: Path) -> None:
    content = VALID["institutions"].replace("\n", ",3\n").replace("notes,3", "notes,context:size")
    assert problems_with(tmp_path, institutions=content) == [
        ("institutions.csv", 1, "context:size")
    ]
    places = "key,name,context:,context:fsm share\nnorthdale,Northdale,1,2\n"
    assert problems_with(tmp_path, places=places) == [
        ("places.csv", 1, "context:"),
        ("places.csv", 1, "context:fsm share"),
    ]


def test_missing_required_column_is_a_problem_and_the_table_gives_no_rows(tmp_path: Path) -> None:
    content = "institution,role,holder\nhill-school,head,C. Patel\n"
    folder = write_csv_folder(tmp_path / "wb", {"leadership": content})
    dataset, problems = read_and_validate(folder)
    assert located(problems) == [("leadership.csv", 1, "start")]
    assert len(dataset["leadership"]) == 0


def test_empty_required_cell_is_a_problem(tmp_path: Path) -> None:
    content = LEADERSHIP + "hill-school,head,,2017-09-01,,,\n"
    assert problems_with(tmp_path, leadership=content) == [("leadership.csv", 2, "holder")]


@pytest.mark.parametrize("start", ["2017/09/01", "01-09-2017", "2017-9-1", "next year"])
def test_date_not_written_yyyy_mm_dd_is_a_problem(tmp_path: Path, start: str) -> None:
    content = LEADERSHIP + f"hill-school,head,C. Patel,{start},,,\n"
    assert problems_with(tmp_path, leadership=content) == [("leadership.csv", 2, "start")]
    assert "YYYY-MM-DD" in messages_with(tmp_path, leadership=content)[0]


def test_date_that_does_not_exist_is_a_problem(tmp_path: Path) -> None:
    content = LEADERSHIP + "hill-school,head,C. Patel,2023-02-30,,,\n"
    assert problems_with(tmp_path, leadership=content) == [("leadership.csv", 2, "start")]
    assert messages_with(tmp_path, leadership=content) == ['"2023-02-30" is not a date that exists']


@pytest.mark.parametrize("period", ["2024Q5", "2024-Q3", "24Q3", "2024q3", "Q3 2024"])
def test_bad_period_is_a_problem(tmp_path: Path, period: str) -> None:
    content = VALUES + f"northdale-council,resident_trust,{period},61,,\n"
    assert problems_with(tmp_path, indicator_values=content) == [
        ("indicator_values.csv", 2, "period")
    ]


@pytest.mark.parametrize(("text", "meaning"), [("TRUE", True), ("Yes", True), ("0", False)])
def test_booleans_accept_true_false_yes_no_one_zero_in_any_case(
    tmp_path: Path, text: str, meaning: bool
) -> None:
    content = LEADERSHIP + f"hill-school,head,C. Patel,2017-09-01,,{text},\n"
    dataset, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"leadership": content})
    )
    assert problems == []
    assert dataset["leadership"]["key_role"].tolist() == [meaning]


def test_bad_boolean_is_a_problem(tmp_path: Path) -> None:
    content = LEADERSHIP + "hill-school,head,C. Patel,2017-09-01,,maybe,\n"
    assert problems_with(tmp_path, leadership=content) == [("leadership.csv", 2, "key_role")]


@pytest.mark.parametrize("value", ["abc", "1,5", "12%", "1_000", "0x10", "١٢"])
def test_bad_number_is_a_problem(tmp_path: Path, value: str) -> None:
    content = VALUES + f'northdale-council,resident_trust,2018Q2,"{value}",,\n'
    assert problems_with(tmp_path, indicator_values=content) == [
        ("indicator_values.csv", 2, "value")
    ]
    assert "is not a number" in messages_with(tmp_path, indicator_values=content)[0]


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "1e400"])
def test_nan_and_infinity_are_not_numbers_here(tmp_path: Path, value: str) -> None:
    content = VALUES + f"northdale-council,resident_trust,2018Q2,{value},,\n"
    assert problems_with(tmp_path, indicator_values=content) == [
        ("indicator_values.csv", 2, "value")
    ]
    assert "is not a finite number" in messages_with(tmp_path, indicator_values=content)[0]


def test_numbers_are_read_exactly(tmp_path: Path) -> None:
    texts = ["0.30000000000000004", "-12", "1e-05", "+3.5", ".5", "123456789.123456789"]
    content = VALUES + "".join(
        f"northdale-council,resident_trust,{2000 + i}Q1,{text},,\n" for i, text in enumerate(texts)
    )
    dataset, problems = read_and_validate(
        write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    )
    assert problems == []
    assert dataset["indicator_values"]["value"].tolist() == [float(text) for text in texts]


@pytest.mark.parametrize("prior", ["1.5", "-0.1"])
def test_probability_outside_zero_to_one_is_a_problem(tmp_path: Path, prior: str) -> None:
    content = f"key,institution,statement,prior\nclaim-1,northdale-council,S,{prior}\n"
    assert problems_with(tmp_path, claims=content) == [("claims.csv", 2, "prior")]
    assert "between 0 and 1" in messages_with(tmp_path, claims=content)[0]


def test_bad_choice_is_a_problem_that_lists_the_allowed_values(tmp_path: Path) -> None:
    content = (
        "key,name,kind\nnorthdale-council,N,council\nhill-trust,H,Trust\nhill-school,S,school\n"
    )
    assert problems_with(tmp_path, institutions=content) == [
        ("institutions.csv", 2, "kind"),
        ("institutions.csv", 3, "kind"),
    ]
    message = messages_with(tmp_path, institutions=content)[1]
    assert 'did you mean "trust"?' in message
    assert "local_authority, school, trust" in message


def test_key_with_spaces_or_odd_characters_is_a_problem(tmp_path: Path) -> None:
    content = (
        "portfolio,institution,name\n"
        "north fund,northdale-council,N\n"
        "north/fund,northdale-council,N\n"
        "north-fund,northdale-council,N\n"
    )
    assert problems_with(tmp_path, portfolios=content) == [
        ("portfolios.csv", 2, "portfolio"),
        ("portfolios.csv", 3, "portfolio"),
    ]


def test_unknown_reference_is_a_problem(tmp_path: Path) -> None:
    content = LEADERSHIP + "southdale-council,ceo,D. Lee,2019-01-01,,,\n"
    assert problems_with(tmp_path, leadership=content) == [("leadership.csv", 2, "institution")]
    assert messages_with(tmp_path, leadership=content) == [
        '"southdale-council" is not a key defined in institutions.csv'
    ]


def test_reference_to_a_key_already_in_the_database_is_accepted(tmp_path: Path) -> None:
    content = LEADERSHIP + "southdale-council,ceo,D. Lee,2019-01-01,,,\n"
    folder = write_csv_folder(tmp_path / "wb", {"leadership": content})
    _, problems = read_and_validate(folder, known_keys={"institutions": {"southdale-council"}})
    assert problems == []
    _, problems = read_and_validate(folder, known_keys={"institutions": {"elsewhere"}})
    assert "nor already in the database" in problems[0].message


def test_references_into_a_table_the_workbook_lacks_use_the_database(tmp_path: Path) -> None:
    folder = write_csv_folder(
        tmp_path / "wb",
        {"change_status": "change,date,status\nc-old,2020-01-01,reversed\n"},
        base={},
    )
    assert located(read_and_validate(folder)[1]) == [("change_status.csv", 2, "change")]
    assert read_and_validate(folder, known_keys={"changes": {"c-old"}})[1] == []


def test_references_into_an_unreadable_table_are_not_reported_again(tmp_path: Path) -> None:
    folder = write_csv_folder(
        tmp_path / "wb", {"institutions": b"key,name,kind\nn,caf\xe9,school\n"}
    )
    _, problems = read_and_validate(folder)
    assert located(problems) == [("institutions.csv", 2, None)]


def test_evidence_record_must_name_a_change_or_a_decision(tmp_path: Path) -> None:
    content = (
        "key,institution,title,date,record\n"
        "e-1,northdale-council,T,2019-01-01,c-hiring\n"
        "e-2,northdale-council,T,2019-01-01,d-budget-panel\n"
        "e-3,northdale-council,T,2019-01-01,claim-1\n"
    )
    assert problems_with(tmp_path, evidence=content) == [("evidence.csv", 4, "record")]
    assert "changes.csv or decisions.csv" in messages_with(tmp_path, evidence=content)[0]


def test_institution_cannot_be_its_own_parent(tmp_path: Path) -> None:
    content = "key,name,kind,parent\nnorthdale-council,N,local_authority,northdale-council\n"
    content += "hill-trust,H,trust,\nhill-school,S,school,hill-trust\n"
    assert problems_with(tmp_path, institutions=content) == [("institutions.csv", 2, "parent")]


@pytest.mark.parametrize("table", ["leadership", "partners", "activities", "factors"])
def test_end_before_start_is_a_problem(tmp_path: Path, table: str) -> None:
    header, first, *_ = VALID[table].splitlines()
    columns = header.split(",")
    cells = dict(zip(columns, first.split(","), strict=True))
    cells["start"], cells["end"] = "2020-01-01", "2019-12-31"
    content = f"{header}\n{','.join(cells[name] for name in columns)}\n"
    assert problems_with(tmp_path, **{table: content}) == [(f"{table}.csv", 2, "end")]
    assert messages_with(tmp_path, **{table: content}) == [
        "the end 2019-12-31 is before the start 2020-01-01"
    ]


def test_end_on_the_start_day_is_fine(tmp_path: Path) -> None:
    content = LEADERSHIP + "hill-school,interim,D. Lee,2020-01-01,2020-01-01,,\n"
    assert problems_with(tmp_path, leadership=content) == []


def test_duplicate_identity_names_both_rows(tmp_path: Path) -> None:
    content = (
        VALUES
        + "northdale-council,resident_trust,2017Q4,61,,\n"
        + "hill-school,staff_turnover,2018Q1,0.1,,\n"
        + "northdale-council,resident_trust,2017Q4,64,,\n"
    )
    folder = write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    dataset, problems = read_and_validate(folder)
    assert located(problems) == [("indicator_values.csv", 4, "period")]
    assert problems[0].message.startswith("repeats row 2 (same institution and indicator and")
    # The first of the two stays in the data set; the repeat is left out.
    assert list(dataset["indicator_values"].index) == [2, 3]


def test_sensitivity_without_type_i_error_needs_a_test(tmp_path: Path) -> None:
    content = (
        "key,institution,title,date,test,sensitivity,type_i_error\n"
        "e-1,northdale-council,T,2019-01-01,,0.7,\n"
        "e-2,northdale-council,T,2019-01-01,,,0.2\n"
        "e-3,northdale-council,T,2019-01-01,hoop,0.9,\n"
        "e-4,northdale-council,T,2019-01-01,,0.9,0.1\n"
    )
    assert problems_with(tmp_path, evidence=content) == [
        ("evidence.csv", 2, "type_i_error"),
        ("evidence.csv", 3, "sensitivity"),
    ]


def test_control_characters_are_a_problem(tmp_path: Path) -> None:
    content = LEADERSHIP + "hill-school,head,C.\x07Patel,2017-09-01,,,\n"
    assert problems_with(tmp_path, leadership=content) == [("leadership.csv", 2, "holder")]


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    content = (
        LEADERSHIP
        + "hill-school,head,,2017-13-01,,perhaps,\n"
        + "nowhere,head,X,2017-01-01,2016-01-01,,\n"
    )
    assert problems_with(tmp_path, leadership=content) == [
        ("leadership.csv", 2, "holder"),
        ("leadership.csv", 2, "start"),
        ("leadership.csv", 2, "key_role"),
        ("leadership.csv", 3, "institution"),
        ("leadership.csv", 3, "end"),
    ]


def test_a_file_pasted_twice_reports_every_repeated_row(tmp_path: Path) -> None:
    rows = [
        f"northdale-council,resident_trust,{year}Q{quarter},{year + quarter},,\n"
        for year in range(1900, 2100)
        for quarter in range(1, 5)
    ]
    content = VALUES + "".join(rows) + "".join(rows)
    folder = write_csv_folder(tmp_path / "wb", {"indicator_values": content})
    dataset, problems = read_and_validate(folder)
    assert len(problems) == len(rows) == 800
    assert problems[0].row == len(rows) + 2
    assert problems[0].message.startswith("repeats row 2 ")
    assert problems[-1].message.startswith(f"repeats row {len(rows) + 1} ")
    assert len(dataset["indicator_values"]) == len(rows)


def test_validated_workbook_refuses_with_every_problem(tmp_path: Path) -> None:
    content = LEADERSHIP + "hill-school,head,,2017-13-01,,,\n"
    folder = write_csv_folder(tmp_path / "wb", {"leadership": content})
    with pytest.raises(WorkbookRefused) as refused:
        validated_workbook(folder)
    assert located(refused.value.problems) == [
        ("leadership.csv", 2, "holder"),
        ("leadership.csv", 2, "start"),
    ]
    assert 'leadership.csv, row 2, column "start"' in refused.value.report()


def test_validated_workbook_gives_the_data_set_when_all_is_well(tmp_path: Path) -> None:
    dataset = validated_workbook(write_csv_folder(tmp_path / "wb", {}))
    assert len(dataset["leadership"]) == 3
