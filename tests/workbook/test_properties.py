"""Properties over random input: the reader and validator never raise, and read what was written."""

from __future__ import annotations

import csv
import io
import math
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workbook.builders import VALID, read_and_validate
from tracker.dataset import Dataset
from tracker.workbook.cells import number_text
from tracker.workbook.column_types import parse_number
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


def csv_text(header: list[str], rows: list[list[str]], line_end: str) -> str:
    buffer = io.StringIO()
    # Python's csv writer leaves a lone "\r" unquoted when lines end in "\n" (spreadsheets
    # quote it): quote everything then.
    carriage_return = any("\r" in cell for row in rows for cell in row)
    quoting = csv.QUOTE_ALL if carriage_return else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, lineterminator=line_end, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def check_outcome(dataset: Dataset, problems: list) -> None:
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
        files = {name: text for name, text in VALID.items() if name != table}
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
    got = {int(row): list(values) for row, values in zip(frame.index, frame.to_numpy().tolist())}
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
    assert back == number and math.copysign(1, back) == math.copysign(1, number) or number == 0
    assert number_text(back) == text
