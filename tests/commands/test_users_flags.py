"""`tracker users add --no-password` is one flag (#24, 11): its help offers no
`--no-no-password`."""

from __future__ import annotations

from typer.testing import CliRunner

from tracker.cli import app


def test_no_password_is_a_plain_flag() -> None:
    shown = CliRunner().invoke(app, ["users", "add", "--help"], terminal_width=200)
    assert shown.exit_code == 0
    assert "--no-password" in shown.stdout and "--no-no-password" not in shown.stdout
