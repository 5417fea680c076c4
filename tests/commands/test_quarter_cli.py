"""The evaluator's quarter from the command line, on SQLite and PostgreSQL: submit, a refused
correction, a reopen without a reason refused, a reopen with one, the correction accepted, the
history showing both values, and the audit log showing the submit, the reopen, the reasons and
the new value."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import Scenario, combine
from tests.commands.conftest import Tracker
from tracker.workbook.write import write_workbook


def workbook(folder: Path, *, trust_q1: float) -> Path:
    """Northdale's first two quarters and Eastmoor's first, as a CSV workbook."""
    dataset = combine(
        Scenario("northdale").indicator("trust").values("trust", "2024Q1", [trust_q1, 63.0]),
        Scenario("eastmoor").values("trust", "2024Q1", [55.0]),
    )
    write_workbook(dataset, folder, format="csv")
    return folder


def test_a_whole_quarter_from_the_command_line(tracker: Tracker, tmp_path: Path) -> None:
    assert tracker("import", str(workbook(tmp_path / "first", trust_q1=61.0))).exit_code == 0

    submitted = tracker("quarter", "submit", "--institution", "northdale", "--period", "2024Q1")
    assert submitted.exit_code == 0, submitted.stderr
    assert "northdale 2024Q1: locked (submitted by local:" in submitted.stdout

    corrected = workbook(tmp_path / "corrected", trust_q1=62.5)
    reason = ["--correct", "--reason", "survey re-weighted"]
    refused = tracker("import", str(corrected), *reason)
    assert refused.exit_code == 1
    # rows are written sorted by identity: eastmoor's is row 2, northdale's 2024Q1 row 3
    assert 'indicator_values.csv, row 3, column "period"' in refused.stderr
    assert "northdale 2024Q1 is locked (submitted by local:" in refused.stderr

    no_reason = tracker("quarter", "reopen", "--institution", "northdale", "--period", "2024Q1")
    assert no_reason.exit_code == 1 and "needs a reason" in no_reason.stderr

    reopened = tracker(
        "quarter", "reopen", "--institution", "northdale", "--period", "2024Q1",
        "--reason", "the council re-weighted its survey",
    )
    assert reopened.exit_code == 0, reopened.stderr
    assert "open (reopened by local:" in reopened.stdout

    accepted = tracker("import", str(corrected), *reason)
    assert accepted.exit_code == 0, accepted.stderr

    history = tracker("history", "--institution", "northdale", "--indicator", "trust",
                      "--period", "2024Q1")
    assert history.exit_code == 0, history.stderr
    assert "version 1: value 61" in history.stdout
    assert "version 2 (current): value 62.5" in history.stdout
    assert "reason: survey re-weighted" in history.stdout

    audit = tracker("audit", "--format", "json")
    assert audit.exit_code == 0, audit.stderr
    entries = json.loads(audit.stdout)["entries"]
    actions = [e["action"] for e in entries]
    assert actions.index("submit") < actions.index("reopen") < actions.index("correct")
    reopen = next(e for e in entries if e["action"] == "reopen")
    assert reopen["reason"] == "the council re-weighted its survey"
    assert reopen["record"] == "northdale|2024Q1" and reopen["after"]["locked"] is False
    correct = next(e for e in entries if e["action"] == "correct")
    assert correct["reason"] == "survey re-weighted"
    assert correct["before"]["value"] == 61.0 and correct["after"]["value"] == 62.5
    assert next(e for e in entries if e["action"] == "submit")["record"] == "northdale|2024Q1"


def test_history_as_json_shows_every_version_and_the_lock(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker("import", str(workbook(tmp_path / "first", trust_q1=61.0)))
    tracker("import", str(workbook(tmp_path / "again", trust_q1=62.0)), "--correct", "--reason",
            "typo")
    tracker("quarter", "submit", "--institution", "northdale", "--period", "2024Q1")
    shown = tracker("history", "--institution", "northdale", "--format", "json")
    payload = json.loads(shown.stdout)
    assert payload["locked_quarters"]["2024Q1"].startswith("locked (submitted by local:")
    q1 = [v for v in payload["versions"] if v["record"] == "northdale|trust|2024Q1"]
    assert [(v["version"], v["data"]["value"], v["reason"]) for v in q1] == [
        (1, 61.0, None), (2, 62.0, "typo")
    ]
    text = tracker("history", "--institution", "northdale", "--period", "2024Q1").stdout
    assert "quarter 2024Q1 locked (submitted by local:" in text


def test_quarters_due_lists_institutions_whose_quarter_is_not_submitted(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker("import", str(workbook(tmp_path / "first", trust_q1=61.0)))
    tracker("quarter", "submit", "--institution", "northdale", "--period", "2024Q1")
    due = tracker("quarter", "due", "--period", "2024Q1")
    assert due.exit_code == 0
    assert "eastmoor" in due.stdout and "northdale" not in due.stdout
    assert tracker("quarter", "due", "--period", "2024-1").exit_code == 1


def test_the_audit_log_as_csv_and_from_a_day(tracker: Tracker, tmp_path: Path) -> None:
    tracker("import", str(workbook(tmp_path / "first", trust_q1=61.0)))
    tracker("quarter", "submit", "--institution", "northdale", "--period", "2024Q1")
    lines = tracker("audit", "--format", "csv").stdout.splitlines()
    assert lines[0] == "id,at,actor,action,table,record,reason,before,after,detail"
    assert [line.split(",")[3] for line in lines[1:]] == ["import", "submit"]
    later = tracker("audit", "--since", "2999-01-01", "--format", "json").stdout
    assert json.loads(later)["entries"] == []
    assert tracker("audit", "--since", "yesterday").exit_code == 1


def test_an_evaluator_submits_but_may_not_reopen(tracker: Tracker, tmp_path: Path) -> None:
    tracker("import", str(workbook(tmp_path / "first", trust_q1=61.0)))
    added = tracker("users", "add", "eve", "--role", "evaluator", "--institution", "northdale",
                    "--password-stdin", stdin="a long enough password\n")
    assert added.exit_code == 0, added.stderr
    submit = ("quarter", "submit", "--institution", "northdale", "--period", "2024Q1")
    assert tracker(*submit, "--as", "eve").exit_code == 0
    reopen = tracker("quarter", "reopen", "--institution", "northdale", "--period", "2024Q1",
                     "--reason", "mine to fix", "--as", "eve")
    assert reopen.exit_code == 1 and "may not reopen" in reopen.stderr
    other = tracker("quarter", "submit", "--institution", "eastmoor", "--period", "2024Q1",
                    "--as", "eve")
    assert other.exit_code == 1 and "not assigned" in other.stderr
