"""`tracker quarter requests` and the import's plausibility warnings, from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.builders import Scenario
from tests.commands.conftest import Tracker
from tracker.access import Actor
from tracker.db import make_engine
from tracker.workbook.write import write_workbook
from tracker.writes.quarter.reopening import request_reopening


def _workbook(folder: Path, values: list[float]) -> Path:
    write_workbook(
        Scenario("northdale").indicator("trust").values("trust", "2023Q1", values).build(),
        folder,
        format="csv",
    )
    return folder


def test_implausible_values_are_warnings_and_the_import_exits_0(
    tracker: Tracker, tmp_path: Path
) -> None:
    ran = tracker("import", str(_workbook(tmp_path / "w", [60, 61, 60.5, 61.2, 60.8, 61, 150])))
    assert ran.exit_code == 0, ran.stderr
    assert "Plausibility warnings (2; the values are written all the same" in ran.stdout
    assert "row 8" in ran.stdout and "150 is above the plausible maximum of 100" in ran.stdout
    assert "150 is a jump of +89 from 61" in ran.stdout


def test_an_administrator_lists_and_grants_a_reopening_request(
    tracker: Tracker, tmp_path: Path, database_url: str
) -> None:
    assert tracker("import", str(_workbook(tmp_path / "w", [60, 61]))).exit_code == 0
    assert tracker("quarter", "submit", "--institution", "northdale",
                   "--period", "2023Q1").exit_code == 0
    assert "No request" in tracker("quarter", "requests").stdout
    engine = make_engine(database_url)
    request = request_reopening(engine, institution="northdale", period="2023Q1",
                                actor=Actor("eve", role="admin"), reason="late returns")
    engine.dispose()
    listed = tracker("quarter", "requests").stdout
    assert f"{request.id:>4}  northdale 2023Q1" in listed and "late returns" in listed
    refused = tracker("quarter", "requests", "--decline", str(request.id))
    assert refused.exit_code == 1 and "needs a note" in refused.stderr
    granted = tracker("quarter", "requests", "--grant", str(request.id))
    assert granted.exit_code == 0, granted.stderr
    assert f"Request {request.id} granted: northdale 2023Q1." in granted.stdout
    assert "open (reopened by local:" in tracker(
        "quarter", "due", "--period", "2023Q1").stdout
