"""Issue 16, retraction from the page: an administrator retracts a row on the Database and
audit log page with a reason (refused without one, in page words), sees it leave the page's
data and the analysis, and restores it; each is audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.dashboard.test_pages import open_page
from tracker import models
from tracker.cli import app as cli
from tracker.dashboard.navigation import page_spec
from tracker.db import make_engine

DECISION = "d-wigan-2017-building-kept"


def _analysed_decisions(url: str) -> list[str]:
    outcome = CliRunner().invoke(cli, ["analyse", "--format", "json", "--db", url])
    assert outcome.exit_code == 0, outcome.output
    analysed = json.loads(outcome.stdout)
    wigan = next(i for i in analysed["institutions"] if i["institution"] == "wigan-council")
    return [json.dumps(d) for d in wigan["diagnostic"]["decisions"]]


def test_an_administrator_retracts_a_row_from_the_page_and_restores_it(
    monkeypatch: pytest.MonkeyPatch, writable_sample_url: str
) -> None:
    assert any(DECISION in d for d in _analysed_decisions(writable_sample_url))
    at = open_page(monkeypatch, writable_sample_url, page_spec("database"))
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="retract_table").select("decisions").run()
    at.selectbox(key="retract_row_decisions").select_index(
        at.selectbox(key="retract_row_decisions").options.index(DECISION)
    ).run()
    # no reason: refused in the page's words, nothing written
    at.button(key="retract_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    refusal = "\n".join(e.value for e in at.error)
    assert "needs a reason" in refusal and "--reason" not in refusal
    at.text_input(key="retract_reason_decisions").input("entered for the wrong council").run()
    assert at.button(key="retract_go").label == "Retract"
    at.button(key="retract_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Retracted decisions" in "\n".join(s.value for s in at.success)

    # gone from what the page reads and from the analysis; kept, marked, audited
    assert not any(DECISION in d for d in _analysed_decisions(writable_sample_url))
    assert f"{DECISION} (retracted)" in at.selectbox(key="retract_row_decisions").options
    engine = make_engine(writable_sample_url)
    with engine.connect() as conn:
        retracted, reason = conn.execute(
            select(models.Decision.retracted, models.Decision.reason).where(
                models.Decision.key == DECISION)
        ).one()
        actions = conn.execute(
            select(models.AuditEntry.action, models.AuditEntry.reason).where(
                models.AuditEntry.record_key == DECISION)
        ).all()
    assert retracted and reason == "entered for the wrong council"
    assert ("retract", "entered for the wrong council") in [tuple(a) for a in actions]
    data = at.dataframe  # the audit log on the page shows the retraction
    assert any("retract" in set(frame.value.get("action", [])) for frame in data)

    # restore: the button says so for a retracted row, and the row comes back
    at.selectbox(key="retract_row_decisions").select_index(
        at.selectbox(key="retract_row_decisions").options.index(f"{DECISION} (retracted)")
    ).run()
    assert at.button(key="retract_go").label == "Restore"
    at.text_input(key="retract_reason_decisions").input("it was right after all").run()
    at.button(key="retract_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Restored decisions" in "\n".join(s.value for s in at.success)
    assert any(DECISION in d for d in _analysed_decisions(writable_sample_url))
    assert DECISION in at.selectbox(key="retract_row_decisions").options
    engine.dispose()
