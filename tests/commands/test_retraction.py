"""Issue 16, retraction: `tracker import PATH --retract --reason TEXT` takes the rows a workbook
names out of every read and analysis, keeps them with who, when and why, and `--restore` brings
them back; nothing is deleted."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, func, select

from tests.commands.conftest import Tracker
from tests.workbook.builders import VALID, write_csv_folder
from tracker import models

# The decision of the valid workbook, on its own (identity: its key).
DECISION = {"decisions": VALID["decisions"]}


def _count(engine: Engine, model: type[models.Base]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_retracted_row_leaves_every_read_and_comes_back_restored(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    assert tracker("import", str(write_csv_folder(tmp_path / "all", {}))).exit_code == 0
    only = tmp_path / "only"
    only.mkdir()
    (only / "decisions.csv").write_text(VALID["decisions"], encoding="utf-8")

    refused = tracker("import", str(only), "--retract")
    assert refused.exit_code == 1 and "--retract needs --reason TEXT" in refused.stderr

    dry = tracker("import", str(only), "--retract", "--reason", "typed twice", "--dry-run")
    assert dry.exit_code == 0 and "would be retracted" in dry.stdout
    ran = tracker("import", str(only), "--retract", "--reason", "entered for the wrong council")
    assert ran.exit_code == 0, ran.stderr
    assert "decisions.csv" in ran.stdout and "1 retracted" in ran.stdout

    # out of the export, the analysis and the report; still in the database, with history
    assert tracker("export", str(tmp_path / "out")).exit_code == 0
    assert "d-budget-panel" not in (tmp_path / "out" / "decisions.csv").read_text()
    analysed = json.loads(tracker("analyse", "--format", "json").stdout)
    council = next(i for i in analysed["institutions"]
                   if i["institution"] == "northdale-council")
    assert council["diagnostic"]["decisions"] == []
    assert "Budget panel reinstated" not in tracker("report").stdout
    assert _count(engine, models.Decision) == 1
    with engine.connect() as conn:
        row = conn.execute(select(models.Decision.retracted, models.Decision.recorded_by,
                                  models.Decision.reason, models.Decision.version)).one()
        audit = conn.execute(select(models.AuditEntry.action, models.AuditEntry.record_key)
                             .where(models.AuditEntry.action == "retract")).all()
        kept = conn.execute(select(func.count()).select_from(models.RecordVersion)).scalar_one()
    assert tuple(row) == (True, "local:" + row[1].split(":", 1)[1],
                          "entered for the wrong council", 2)
    assert audit == [("retract", "d-budget-panel")] and kept == 1

    # importing the row again is refused with the way back, not a database error
    again = tracker("import", str(only))
    assert again.exit_code == 1 and "was retracted: restore it first" in again.stderr

    restored = tracker("import", str(only), "--restore", "--reason", "it was right after all")
    assert restored.exit_code == 0 and "1 restored" in restored.stdout
    assert "d-budget-panel" in (
        (tmp_path / "back" / "decisions.csv").read_text()
        if tracker("export", str(tmp_path / "back")).exit_code == 0 else ""
    )
    # a second retraction of what is not retracted is "already so", not an error
    assert "0 restored" in tracker("import", str(only), "--restore", "--reason", "x").stdout


def test_retracting_a_row_that_is_not_stored_is_refused_with_its_row(
    tracker: Tracker, tmp_path: Path
) -> None:
    ran = tracker("import", str(write_csv_folder(tmp_path / "wb", {})), "--retract",
                  "--reason", "r")
    assert ran.exit_code == 1
    assert 'no stored row has this identity' in ran.stderr and "Nothing was written" in ran.stderr
