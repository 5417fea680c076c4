"""`tracker analyse --format json` is streamed, and the stream is exactly the whole document."""

from __future__ import annotations

import json

from tests.builders import Scenario
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.config import PROJECT_ROOT
from tracker.dataset import Dataset
from tracker.reports.json_output import analysis_json_chunks
from tracker.workbook.read import read_workbook
from tracker.workbook.validate import validate_workbook


def _streamed(result: object) -> object:
    return json.loads(b"".join(analysis_json_chunks(result)))  # type: ignore[arg-type]


def test_streamed_json_equals_the_whole_document_on_the_sample() -> None:
    sample, problems = validate_workbook(read_workbook(PROJECT_ROOT / "sample_data"))
    assert problems == []
    result = analyse(sample, Parameters())
    assert _streamed(result) == result.to_json()


def test_streamed_json_puts_each_institution_on_a_line_of_its_own() -> None:
    sample, _ = validate_workbook(read_workbook(PROJECT_ROOT / "sample_data"))
    result = analyse(sample, Parameters())
    lines = b"".join(analysis_json_chunks(result)).decode().splitlines()
    assert len(lines) == len(result) + 2
    assert [json.loads(line.rstrip(","))["institution"] for line in lines[1:-1]] == (
        result.institution_keys
    )


def test_streamed_json_of_no_institutions_is_the_empty_list() -> None:
    result = analyse(Dataset(), Parameters())
    assert _streamed(result) == result.to_json()
    assert _streamed(result)["institutions"] == []  # type: ignore[index]


def test_streamed_json_keeps_segmented_regressions_when_asked() -> None:
    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .change("c1", adopted="2016-01-01")
        .build()
    )
    result = analyse(dataset, Parameters(), include_its=True)
    assert _streamed(result) == result.to_json()
