"""`tracker quarter due --overdue` and `tracker remind` from the command line (SQLite and
PostgreSQL): the board of the acting person; digests on standard output without SMTP, and a
second run the same day sends nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands.conftest import Tracker
from tests.commands.test_quarter_cli import workbook


def test_the_due_board_and_daily_reminders_from_the_command_line(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    monkeypatch.delenv("TRACKER_REMIND_OUTBOX", raising=False)
    monkeypatch.setenv("TRACKER_DUE_LOOKBACK", "1")
    # Due on the day a quarter ends: whatever today is, the last ended quarter is overdue.
    monkeypatch.setenv("TRACKER_DUE_DAYS", "0")
    assert tracker("import", str(workbook(tmp_path / "wb", trust_q1=61.0))).exit_code == 0
    added = tracker("users", "add", "eve@example.org", "--role", "evaluator", "--institution",
                    "northdale", "--no-password")
    assert added.exit_code == 0, added.stderr

    board = tracker("quarter", "due", "--overdue", "--as", "eve@example.org")
    assert board.exit_code == 0, board.stderr
    assert "overdue  northdale " in board.stdout and "eastmoor" not in board.stdout
    admins = tracker("quarter", "due", "--overdue")
    assert "[eve@example.org]" in admins.stdout and "[no evaluator]" in admins.stdout

    first = tracker("remind", "--day", "2030-03-01")
    assert first.exit_code == 0, first.stderr
    assert "To: eve@example.org" in first.stdout and "overdue  northdale 2029Q4" in first.stdout
    assert "eve@example.org: digest sent (standard output)" in first.stderr
    again = tracker("remind", "--day", "2030-03-01")
    assert again.exit_code == 0 and "To:" not in again.stdout
    assert "eve@example.org: already reminded on 2030-03-01" in again.stderr
    refused = tracker("remind", "--as", "eve@example.org")
    assert refused.exit_code == 1 and "may not send reminders" in refused.stderr
