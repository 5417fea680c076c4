"""No password in plain text anywhere: not in any table of the database (users, audit log,
record versions…), not in any output of the command line, not in the logs — not even the SQL
statements and their parameters. Also not a wrong password typed at a failed login.
On SQLite and PostgreSQL."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, MetaData, select
from typer.testing import CliRunner

from tracker.cli import app
from tracker.users import LoginRefused, authenticate

pytestmark = pytest.mark.usefixtures("fast_hashing")

PASSWORDS = {
    "ann": "ann-first-Secret-1",
    "eve": "eve-first-Secret-2",
    "fay": "fay-first-Secret-3",
}
NEW_PASSWORD = "eve-second-Secret-4"
WRONG_PASSWORD = "mistyped-Secret-5"
ALL = [*PASSWORDS.values(), NEW_PASSWORD, WRONG_PASSWORD]


def every_text_in_the_database(engine: Engine) -> str:
    """Every value of every row of every table, as text."""
    metadata = MetaData()
    metadata.reflect(engine)
    lines: list[str] = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                lines.append(f"{table.name}: " + " | ".join(str(value) for value in row))
    return "\n".join(lines)


def test_no_password_is_stored_printed_or_logged(
    seeded: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    url = seeded.url.render_as_string(hide_password=False)
    runner = CliRunner()
    outputs: list[str] = []

    def tracker(*args: str, stdin: str | None = None) -> None:
        result = runner.invoke(app, [*args, "--db", url], input=stdin)
        outputs.append(result.stdout + result.stderr)
        assert result.exit_code == 0, result.stdout + result.stderr

    # SQL statements and their parameters are logged at INFO: the hash may pass, not a password.
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    tracker("users", "add", "ann", "--role", "admin", "--password-stdin",
            stdin=PASSWORDS["ann"] + "\n")
    tracker("users", "add", "eve", "--role", "evaluator", "--institution", "north",
            "--password-stdin", stdin=PASSWORDS["eve"] + "\n")
    tracker("users", "add", "fay", "--role", "funder", "--portfolio", "p-ns",
            "--password-stdin", stdin=PASSWORDS["fay"] + "\n")
    tracker("users", "passwd", "eve", "--as", "eve", "--password-stdin",
            stdin=NEW_PASSWORD + "\n")
    tracker("users", "list", "--as", "ann", "--format", "json")
    tracker("audit", "--format", "json", "--as", "ann")
    tracker("audit", "--format", "csv", "--as", "ann")
    assert authenticate(seeded, "eve", NEW_PASSWORD).name == "eve"
    with pytest.raises(LoginRefused) as refused:
        authenticate(seeded, "fay", WRONG_PASSWORD)
    outputs.append(str(refused.value))
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    stored = every_text_in_the_database(seeded)
    assert "$argon2id$" in stored  # the hashes are there, so the scan did read the users
    assert "login_failed" in stored and "user_passwd" in stored
    logged = caplog.text
    # The SQL was captured with its parameters (the hash among them).
    assert "INSERT INTO users" in logged and "$argon2id$" in logged
    for password in ALL:
        assert password not in stored, "a password is stored in plain text"
        assert all(password not in text for text in outputs), "a password was printed"
        assert password not in logged, "a password was logged"


def test_the_password_prompt_does_not_echo(seeded: Engine) -> None:
    url = seeded.url.render_as_string(hide_password=False)
    secret = "typed-at-the-Prompt-6"
    result = CliRunner().invoke(
        app, ["users", "add", "ann", "--role", "admin", "--db", url],
        input=f"{secret}\n{secret}\n",
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Password" in result.stdout and secret not in result.stdout + result.stderr
    assert authenticate(seeded, "ann", secret).name == "ann"
