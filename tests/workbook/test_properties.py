"""Properties over random input: the reader and validator never raise, and read what was written."""

from __future__ import annotations

import csv
import io
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workbook.builders import VALID, read_and_validate
from tracker.dataset import Dataset
from tracker.workbook.cells import number_text, numbers_text
from tracker.workbook.column_types import parse_number
from tracker.workbook.problems import Problem
from tracker.workbook.read import read_workbook
from tracker.workbook.schema import TABLE_MAP, TABLE_NAMES

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Cells that are valid for some column, and text that is valid for none.
PLAUSIBLE = st.sampled_from(
    [
        "",
        " ",
        "northdale-council",
        "hill-school",
        "resident_trust",
        "c-hiring",
        "2024Q3",
        "2023-02-30",
        "2019-06-30",
        "true",
        "No",
        "0.5",
        "61",
        "1e400",
        "nan",
        "school",
        "in_force",
        "hoop",
        "claim-1",
        "d-budget-panel",
        "north-fund",
    ]
)
TEXT = st.text(alphabet=st.sampled_from('ab é,"\n\r\t;-_.:Q0129\x07'), max_size=12)
CELL = st.one_of(PLAUSIBLE, TEXT)
REFERENCED = ("places", "institutions", "indicators", "changes", "decisions", "claims")


def csv_text(header: list[str], rows: list[list[str]], line_end: str) -> str:
    buffer = io.StringIO()
    # Python's csv writer leaves a lone "\r" unquoted when lines end in "\n" (spreadsheets
    # quote it): quote everything then.
    if any("\r" in cell for row in rows for cell in row):
        writer = csv.writer(buffer, lineterminator=line_end, quoting=csv.QUOTE_ALL)
    else:
        writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def check_outcome(dataset: Dataset, problems: list[Problem]) -> None:
    assert isinstance(dataset, Dataset)
    for problem in problems:
        assert problem.message
        assert problem.row is None or problem.row >= 1


@SETTINGS
@given(
    table=st.sampled_from(TABLE_NAMES),
    content=st.one_of(
        st.binary(max_size=400),
        st.builds(
            lambda table, tail: VALID[table].encode() + tail,
            st.sampled_from(sorted(VALID)),
            st.binary(max_size=200),
        ),
    ),
)
def test_random_bytes_never_raise(table: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / f"{table}.csv").write_bytes(content)
        dataset, problems = read_and_validate(Path(folder))
        check_outcome(dataset, problems)
        (Path(folder) / "workbook.xlsx").write_bytes(content)
        dataset, problems = read_and_validate(Path(folder) / "workbook.xlsx")
        check_outcome(dataset, problems)
        assert problems


@pytest.mark.slow
@SETTINGS
@given(data=st.data(), table=st.sampled_from(TABLE_NAMES), line_end=st.sampled_from(["\n", "\r\n"]))
def test_random_rows_give_problems_or_every_row(
    data: st.DataObject, table: str, line_end: str
) -> None:
    names = [column.name for column in TABLE_MAP[table].columns]
    header = data.draw(
        st.lists(st.sampled_from([*names, "context:x", "holdr"]), min_size=1, unique=True)
    )
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=6)
    )
    with tempfile.TemporaryDirectory() as folder:
        # The tables others refer to, so that references can be valid.
        files = {name: VALID[name] for name in REFERENCED if name != table}
        files[table] = csv_text(header, rows, line_end)
        for name, text in files.items():
            (Path(folder) / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
        dataset, problems = read_and_validate(Path(folder))
    check_outcome(dataset, problems)
    if not problems:
        filled = [row for row in rows if any(cell.strip() for cell in row)]
        assert len(dataset[table]) == len(filled)


@SETTINGS
@given(
    data=st.data(),
    width=st.integers(min_value=1, max_value=5),
    line_end=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
def test_what_is_written_as_csv_is_read_back_exactly_with_row_numbers(
    data: st.DataObject, width: int, line_end: str, bom: bool
) -> None:
    """Both reading paths: pandas when all rows fit, the csv module when some are ragged."""
    header = [f"c{i}" for i in range(width)]
    rows = data.draw(st.lists(st.lists(TEXT, min_size=width, max_size=width), max_size=8))
    ragged_at = data.draw(st.sets(st.integers(min_value=0, max_value=len(rows)), max_size=2))
    written: list[list[str]] = []
    expected: dict[int, list[str]] = {}
    ragged_rows: list[int] = []
    for position, row in enumerate(rows):
        if position in ragged_at:
            ragged_rows.append(len(written) + 2)
            written.append([*row, "x"])
        expected[len(written) + 2] = row
        written.append(row)
    text = csv_text(header, written, line_end)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "places.csv").write_bytes(
            ("\ufeff" if bom else "").encode() + text.encode()
        )
        raw = read_workbook(Path(folder))
    frame = raw.tables["places"]
    assert [problem.row for problem in raw.problems] == ragged_rows
    assert list(frame.columns) == header
    got = {
        int(row): list(values)
        for row, values in zip(frame.index, frame.to_numpy().tolist(), strict=True)
    }
    # A row of empty cells may come back as blank; nothing else may change.
    assert {row: values for row, values in got.items() if any(values)} == {
        row: values for row, values in expected.items() if any(values)
    }


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_reads_back_the_same_float(number: float) -> None:
    text = number_text(number)
    parsed = parse_number(pd.Series([text], dtype=object))
    assert not parsed.bad.iloc[0]
    back = parsed.values.iloc[0]
    assert back == number  # -0.0 is written "0" and reads back as 0.0, which == -0.0
    assert number_text(back) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_infinity=False), max_size=20))
def test_numbers_in_bulk_are_spelled_as_one_by_one(numbers: list[float]) -> None:
    expected = ["" if math.isnan(number) else number_text(number) for number in numbers]
    assert numbers_text(np.array(numbers, dtype="float64")).tolist() == expected


VALUE_ROW = st.tuples(
    st.sampled_from(["northdale-council", "hill-school"]),
    st.sampled_from(["resident_trust", "staff_turnover"]),
    st.builds("{}Q{}".format, st.integers(1900, 2100), st.integers(1, 4)),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.sampled_from('ab é,"\n;-_.:Q0129'), max_size=8),
)


@pytest.mark.slow
@SETTINGS
@given(
    columns=st.permutations(["institution", "indicator", "period", "value", "source"]),
    rows=st.lists(VALUE_ROW, max_size=8, unique_by=lambda row: row[:3]),
    padding=st.sampled_from(["", " ", "  \t"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_valid_rows_are_read_exactly_whatever_the_column_order_and_spacing(
    columns: list[str], rows: list[tuple[str, str, str, float, str]], padding: str, line_end: str
) -> None:
    cells = [
        dict(zip(["institution", "indicator", "period", "value", "source"], row, strict=True))
        for row in rows
    ]
    written = [
        [
            f"{padding}{cell[name] if name != 'value' else repr(cell[name])}{padding}"
            for name in columns
        ]
        for cell in cells
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name in REFERENCED:
            (Path(folder) / f"{name}.csv").write_text(VALID[name], encoding="utf-8")
        (Path(folder) / "indicator_values.csv").write_text(
            csv_text(list(columns), written, line_end), encoding="utf-8", newline=""
        )
        dataset, problems = read_and_validate(Path(folder))
    assert problems == []
    frame = dataset["indicator_values"]
    assert list(frame.index) == list(range(2, len(rows) + 2))
    assert frame["institution"].tolist() == [cell["institution"] for cell in cells]
    assert frame["period"].tolist() == [cell["period"] for cell in cells]
    assert frame["value"].tolist() == [cell["value"] for cell in cells]
    assert frame["source"].tolist() == [source.strip() or None for *_, source in rows]
