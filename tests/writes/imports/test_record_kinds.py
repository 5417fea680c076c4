"""The write layer for each kind of record: valid, invalid, locked, conflicting, corrected;
every write in the audit log with its reason. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.writes.conftest import ADMIN, NEW_QUARTER, OTHER_ADMIN, STORED_QUARTER, audit, count
from tests.writes.kinds import KIND_PARAMS, Kind
from tracker import models
from tracker.db import read_session
from tracker.queries import read_table
from tracker.workbook.problems import WorkbookRefused
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.history.conflicts import ConflictRefused
from tracker.writes.history.versions import record_versions
from tracker.writes.imports.plan import record_key
from tracker.writes.imports.rows import write_rows
from tracker.writes.imports.table_mapping import MAPPING_BY_NAME
from tracker.writes.quarter import review


def stored_rows(engine: Engine, kind: Kind) -> int:
    return count(engine, MAPPING_BY_NAME[kind.table].model)


def versions(engine: Engine, kind: Kind, record: str) -> list[tuple[int, object]]:
    """(version, value of the changed column) of every version of a record, oldest first."""
    with read_session(engine) as session:
        rows = read_table(session, kind.table, with_ids=True)
        [record_id] = [
            int(row["_id"]) for row in rows.to_dict("records")
            if record_key(TABLE_MAP[kind.table], row) == record
        ]
        return [
            (v.version, v.data.get(kind.changed_column))
            for v in record_versions(session, kind.table, record_id)
        ]


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_a_valid_new_record_is_written_and_audited(seeded: Engine, kind: Kind) -> None:
    before = stored_rows(seeded, kind)
    write_rows(seeded, kind.frame(kind.new), actor=ADMIN)
    assert stored_rows(seeded, kind) == before + 1
    added = [e for e in audit(seeded, "add") if e.record_key == kind.new_key]
    assert len(added) == 1
    assert added[0].actor == ADMIN.name and added[0].table_name == kind.table
    assert added[0].after is not None and added[0].after[kind.dated_column] is not None


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_an_invalid_record_is_refused_naming_row_and_column_and_nothing_is_written(
    seeded: Engine, kind: Kind
) -> None:
    entries, rows = len(audit(seeded)), stored_rows(seeded, kind)
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(seeded, kind.frame(kind.invalid), actor=ADMIN)
    [problem] = refused.value.problems
    assert problem.row == 2 and problem.column == kind.invalid_column
    assert problem.file == f"dashboard [{kind.table}]"
    assert (len(audit(seeded)), stored_rows(seeded, kind)) == (entries, rows)


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_a_new_record_dated_in_a_submitted_quarter_is_refused(seeded: Engine, kind: Kind) -> None:
    review.submit(seeded, institution="northdale", period=NEW_QUARTER, actor=ADMIN)
    rows = stored_rows(seeded, kind)
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(seeded, kind.frame(kind.new), actor=ADMIN)
    [problem] = refused.value.problems
    assert problem.column == kind.dated_column and problem.row == 2
    assert f"northdale {NEW_QUARTER} is locked (submitted by ana at " in problem.message
    assert stored_rows(seeded, kind) == rows


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_correcting_a_record_of_a_submitted_quarter_is_refused(seeded: Engine, kind: Kind) -> None:
    review.submit(seeded, institution="northdale", period=STORED_QUARTER, actor=ADMIN)
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(seeded, kind.frame(kind.corrected), actor=ADMIN, correct=True, reason="typo")
    assert any("is locked" in p.message for p in refused.value.problems)
    assert [v for v, _ in versions(seeded, kind, kind.corrected_key)] == [1]


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_changing_a_stored_value_needs_correct_and_a_reason(seeded: Engine, kind: Kind) -> None:
    with pytest.raises(WorkbookRefused) as refused:
        write_rows(seeded, kind.frame(kind.corrected), actor=ADMIN)
    [problem] = refused.value.problems
    assert problem.column == kind.changed_column and "--correct" in problem.message
    with pytest.raises(WorkbookRefused):
        write_rows(seeded, kind.frame(kind.corrected), actor=ADMIN, correct=True, reason="  ")
    assert [v for v, _ in versions(seeded, kind, kind.corrected_key)] == [1]


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_a_correction_keeps_the_earlier_version_and_audits_the_reason(
    seeded: Engine, kind: Kind
) -> None:
    old = versions(seeded, kind, kind.corrected_key)[0][1]
    write_rows(seeded, kind.frame(kind.corrected), actor=ADMIN, correct=True, reason="typo")
    assert versions(seeded, kind, kind.corrected_key) == [
        (1, old), (2, kind.corrected[kind.changed_column])
    ]
    [entry] = [e for e in audit(seeded, "correct") if e.record_key == kind.corrected_key]
    assert entry.reason == "typo" and entry.actor == "ana"
    assert entry.before is not None and entry.after is not None
    assert entry.before[kind.changed_column] == old
    assert entry.after[kind.changed_column] == kind.corrected[kind.changed_column]
    assert count(seeded, models.RecordVersion, table_name=kind.table) == 1


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_saving_over_a_change_made_meanwhile_is_refused_saying_what_changed(
    seeded: Engine, kind: Kind
) -> None:
    # Bea corrects the record while Ana has version 1 on her screen.
    theirs = dict(kind.corrected)
    write_rows(seeded, kind.frame(theirs), actor=OTHER_ADMIN, correct=True, reason="bea's fix")
    mine = {**kind.corrected, kind.changed_column: _another_value(kind)}
    with pytest.raises(ConflictRefused) as refused:
        write_rows(
            seeded, kind.frame(mine), actor=ADMIN, correct=True, reason="ana's fix",
            expected_versions={kind.table: {kind.corrected_key: 1}},
        )
    message = str(refused.value)
    assert kind.corrected_key in message and "by bea at " in message and "bea's fix" in message
    assert f"{kind.changed_column} " in message and " → " in message
    assert "Nothing was applied" in message
    assert [v for v, _ in versions(seeded, kind, kind.corrected_key)] == [1, 2]


def _another_value(kind: Kind) -> object:
    alternatives = {
        "value": 64.0, "narrative": "Another account of the quarter.",
        "holder": "Chief executive (acting holder)", "title": "Yet another title",
        "status": "superseded", "assessed_role": "partial",
    }
    return alternatives[kind.changed_column]


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_writing_the_stored_rows_again_changes_nothing(seeded: Engine, kind: Kind) -> None:
    write_rows(seeded, kind.frame(kind.new), actor=ADMIN)
    entries = len(audit(seeded))
    report = write_rows(seeded, kind.frame(kind.new), actor=ADMIN)
    assert not report.changed
    assert len(audit(seeded)) == entries
