"""Quarter locks in the write pipeline: what a submitted quarter refuses, and what it does not."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from tests.writes.conftest import ADMIN, EVALUATOR, STORED_QUARTER, audit
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.imports.rows import write_rows
from tracker.writes.quarter import review


def rows(table: str, *records: dict[str, object]) -> dict[str, pd.DataFrame]:
    return {table: pd.DataFrame(list(records))}


def test_a_change_status_is_locked_through_its_changes_institution(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q3", actor=ADMIN)
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(
            seeded, rows("change_status", {"change": "c1", "date": "2024-08-01",
                                           "status": "reversed"}), actor=ADMIN,
        )
    assert "northdale 2024Q3 is locked" in refused.value.problems[0].message


def test_moving_a_decision_out_of_a_submitted_quarter_is_refused(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period=STORED_QUARTER, actor=ADMIN)
    moved = {"key": "d1", "institution": "northdale", "date": "2024-05-01",
             "title": "Budget panel"}
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(seeded, rows("decisions", moved), actor=ADMIN, correct=True, reason="date")
    [problem] = refused.value.problems
    assert problem.column == "date" and STORED_QUARTER in problem.message


def test_ending_a_tenure_in_a_submitted_quarter_is_refused(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q4", actor=ADMIN)
    ended = {"institution": "northdale", "role": "chief_executive",
             "holder": "Chief executive (first holder)", "start": "2024-01-15",
             "end": "2024-11-30"}
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(seeded, rows("leadership", ended), actor=ADMIN)
    [problem] = refused.value.problems
    assert problem.column == "end" and "northdale 2024Q4 is locked" in problem.message


def test_writing_unchanged_rows_of_a_submitted_quarter_is_no_write_and_is_fine(
    seeded: Engine,
) -> None:
    review.submit(seeded, institution="northdale", period=STORED_QUARTER, actor=ADMIN)
    same = {"institution": "northdale", "indicator": "trust", "period": STORED_QUARTER,
            "value": 61.0}
    report = write_rows(seeded, rows("indicator_values", same), actor=ADMIN)
    assert not report.changed


def test_one_institutions_lock_does_not_lock_another(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=ADMIN)
    value = {"institution": "eastmoor", "indicator": "trust", "period": "2024Q2", "value": 57}
    write_rows(seeded, rows("indicator_values", value), actor=ADMIN)
    assert [e.record_key for e in audit(seeded, "add")][-1] == "eastmoor|trust|2024Q2"


def test_every_locked_row_of_a_workbook_is_reported_not_just_the_first(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=ADMIN)
    values = [
        {"institution": "northdale", "indicator": "trust", "period": "2024Q3", "value": 60},
        {"institution": "northdale", "indicator": "trust", "period": "2024Q2", "value": 62},
        {"institution": "eastmoor", "indicator": "trust", "period": "2024Q2", "value": 57},
    ]
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(seeded, rows("indicator_values", *values), actor=ADMIN)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "period")]


def test_after_a_reopen_the_quarter_can_be_corrected(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period=STORED_QUARTER, actor=EVALUATOR)
    fixed = {"institution": "northdale", "indicator": "trust", "period": STORED_QUARTER,
             "value": 62.0}
    with pytest.raises(WorkbookRefused):
        write_rows(seeded, rows("indicator_values", fixed), actor=EVALUATOR, correct=True,
                   reason="typo")
    review.reopen(seeded, institution="northdale", period=STORED_QUARTER, actor=ADMIN,
                   reason="late correction from the council")
    write_rows(seeded, rows("indicator_values", fixed), actor=EVALUATOR, correct=True,
               reason="typo")
    assert [e.action for e in audit(seeded)][-3:] == ["submit", "reopen", "correct"]
