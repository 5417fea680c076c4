"""The review cycle from the command line, on SQLite and PostgreSQL: a reviewer account, a
submitted quarter returned with a comment, corrected, submitted again and approved; the status
word first at every step; the submitter refused as reviewer."""

from __future__ import annotations

import json
from pathlib import Path

from tests.commands.conftest import Tracker
from tests.commands.test_quarter_cli import workbook

Q = ["--institution", "northdale", "--period", "2024Q2"]


def test_return_correct_resubmit_and_approve_from_the_command_line(
    tracker: Tracker, tmp_path: Path
) -> None:
    assert tracker("import", str(workbook(tmp_path / "first", trust_q1=61.0))).exit_code == 0
    for name, role in (("eve", "evaluator"), ("rita", "reviewer")):
        added = tracker("users", "add", name, "--role", role, "--institution", "northdale",
                        "--no-password")
        assert added.exit_code == 0, added.stderr
    assert "rita: reviewer for northdale" in added.stdout

    assert tracker("quarter", "status", *Q).stdout.startswith("open ")
    assert tracker("quarter", "submit", *Q, "--as", "eve").exit_code == 0
    assert tracker("quarter", "status", *Q, "--as", "rita").stdout.startswith("submitted ")

    no_comment = tracker("quarter", "return", *Q, "--as", "rita")
    assert no_comment.exit_code == 1 and "needs a comment" in no_comment.stderr
    by_submitter = tracker("quarter", "approve", *Q, "--as", "eve")
    assert by_submitter.exit_code == 1 and "may not approve" in by_submitter.stderr

    returned = tracker("quarter", "return", *Q, "--as", "rita", "--reason", "Trust 63 is Q1's")
    assert returned.exit_code == 0, returned.stderr
    status = tracker("quarter", "status", *Q, "--as", "eve")
    assert status.stdout.startswith("returned northdale 2024Q2")
    assert "rita (return): Trust 63 is Q1's" in status.stdout

    fixed = workbook(tmp_path / "fixed", trust_q1=61.0)
    values = fixed / "indicator_values.csv"
    values.write_text(values.read_text().replace(",63", ",64"))
    corrected = tracker("import", str(fixed), "--correct", "--reason", "typo")
    assert corrected.exit_code == 0, corrected.stderr
    assert tracker("quarter", "submit", *Q, "--as", "eve").exit_code == 0
    approved = tracker("quarter", "approve", *Q, "--as", "rita")
    assert approved.exit_code == 0, approved.stderr
    assert "locked (approved by rita" in approved.stdout

    as_json = json.loads(tracker("quarter", "status", *Q, "--format", "json").stdout)
    assert as_json["state"] == "approved" and as_json["changed_since_approval"] == 0
    assert [c["kind"] for c in as_json["comments"]] == ["return"]
    comment = tracker("quarter", "comment", *Q, "--as", "rita", "--text", "Thanks")
    assert comment.exit_code == 0, comment.stderr


def test_review_states_are_exported_read_only_and_skipped_on_import(
    tracker: Tracker, tmp_path: Path
) -> None:
    assert tracker("import", str(workbook(tmp_path / "first", trust_q1=61.0))).exit_code == 0
    assert tracker("quarter", "submit", *Q).exit_code == 0
    for fmt, target in (("csv", tmp_path / "out"), ("xlsx", tmp_path / "out.xlsx")):
        assert tracker("export", str(target), "--format", fmt).exit_code == 0
        reimported = tracker("import", str(target), "--dry-run")
        assert reimported.exit_code == 0, reimported.stderr
    lines = (tmp_path / "out" / "quarter_review.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("institution,period,state,submitted_by")
    assert lines[1].startswith("northdale,2024Q2,submitted,local:")
