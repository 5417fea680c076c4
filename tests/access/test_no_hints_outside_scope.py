"""Issue 16, no hints outside scope: an evaluator's workbook that names shared definitions
(places, institutions and their parents, indicators, portfolios) is refused before anything is
compared with stored data, with one message whatever exists; and logins are bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from tests.access.scenario import EVALUATOR, write_csvs
from tracker import models
from tracker.access import local_operator
from tracker.cli import app
from tracker.db import read_session
from tracker.users import LoginRefused, add_user, authenticate

runner = CliRunner()

# alder is eve's; birch-town, birch, fund-two are someone else's; the other keys do not exist.
PROBES = {
    "places": [
        [{"key": "birch-town", "name": "Birch Town", "context:fsm_share": "0.3"}],
        [{"key": "nowhere-town", "name": "Birch Town", "context:fsm_share": "0.3"}],
    ],
    "institutions": [
        [{"key": "alder", "name": "Alder", "kind": "local_authority", "parent": "birch"}],
        [{"key": "alder", "name": "Alder", "kind": "local_authority", "parent": "nowhere"}],
    ],
    "portfolios": [
        [{"portfolio": "fund-two", "institution": "alder", "name": "Fund Two"}],
        [{"portfolio": "no-fund", "institution": "alder", "name": "Fund Two"}],
    ],
    "indicators": [
        [{"key": "staff_turnover", "name": "Staff turnover", "unit": "%",
          "higher_is_better": "false"}],
        [{"key": "new_one", "name": "Staff turnover", "unit": "%", "higher_is_better": "false"}],
    ],
}


@pytest.mark.parametrize("table", sorted(PROBES))
def test_an_evaluators_dry_run_names_nothing_outside_scope(
    scenario_url: str, tmp_path: Path, table: str
) -> None:
    messages = []
    for number, rows in enumerate(PROBES[table]):
        workbook = write_csvs(tmp_path / str(number), {table: rows})
        result = runner.invoke(app, [
            "import", str(workbook), "--dry-run", "--db", scenario_url, "--as", EVALUATOR.user
        ])
        assert result.exit_code == 1
        messages.append(result.stdout + result.stderr)
    # the same refusal whether the place, parent, portfolio or indicator exists or not
    assert messages[0] == messages[1]
    assert "may not write shared definitions" in messages[0]
    for stored in ("Birch Town", "birch", "Fund Two", "fund-two", "0.3", "corrected"):
        assert stored not in messages[0].replace(f"{table}.csv", "")


@pytest.mark.usefixtures("fast_hashing")
def test_an_over_long_login_is_refused_before_anything_is_stored_or_hashed(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(seeded, "ann", role="admin", password="correct horse battery", actor=local_operator())

    def never(*_args: object) -> bool:
        raise AssertionError("an over-long login must not be hashed")

    monkeypatch.setattr("tracker.users._password_matches", never)
    for name, password in (("a" * 2_000_000, "x"), ("ann", "p" * 2_000_000)):
        with pytest.raises(LoginRefused, match=r"^Login refused: unknown name, wrong password"):
            authenticate(seeded, name, password)
    with read_session(seeded) as session:
        failed = [
            (entry.record_key, entry.actor, entry.detail)
            for entry in session.scalars(
                select(models.AuditEntry).where(models.AuditEntry.action == "login_failed")
                .order_by(models.AuditEntry.id)
            )
        ]
    assert len(failed) == 2
    assert failed[0] == ("a" * 100 + "…", "a" * 100 + "…", {
        "why": "out_of_bounds", "name_length": 2_000_000, "password_length": 1})
    assert failed[1][0] == "ann"
