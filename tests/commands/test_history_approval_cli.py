"""Imported history approved in bulk from the command line (#24, 4): `tracker quarter approve
--through QUARTER --institution KEY` approves every open quarter with values up to it, audited as
historical approval; quarters in review are left to their reviewer; funders then read them.
`tracker import --approve-history-through` does the same for a workbook's institutions, and
`tracker sample load` approves the sample's history."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import Scenario, combine
from tests.commands.conftest import Tracker
from tracker.access import Actor
from tracker.db import make_engine, read_session
from tracker.scope import readable_dataset
from tracker.users import add_user
from tracker.workbook.write import write_workbook
from tracker.writes.quarter.review import quarter_states
from tracker.writes.quarter.state import current_period


def _workbook(folder: Path) -> Path:
    dataset = combine(
        Scenario("northdale").indicator("trust")
        .values("trust", "2024Q1", [61.0, 62.0, 63.0, 64.0])
        .in_portfolio("north"),
        Scenario("eastmoor").values("trust", "2024Q1", [55.0]),
    )
    write_workbook(dataset, folder, format="csv")
    return folder


def _states(url: str) -> dict[tuple[str, str], str]:
    engine = make_engine(url)
    with read_session(engine) as session:
        found = quarter_states(session)
    engine.dispose()
    return found


def test_history_is_approved_in_bulk_audited_and_read_by_funders(
    tracker: Tracker, tmp_path: Path
) -> None:
    assert tracker("import", str(_workbook(tmp_path / "wb"))).exit_code == 0
    engine = make_engine(tracker.url)
    add_user(engine, "fay", role="funder", password=None, actor=Actor("root", "admin"),
             portfolios=["north"])
    engine.dispose()
    assert tracker("quarter", "submit", "--institution", "northdale",
                   "--period", "2024Q3").exit_code == 0

    done = tracker("quarter", "approve", "--through", "2024Q3", "--institution", "northdale",
                   "--reason", "reviewed on paper at the time")
    assert done.exit_code == 0, done.stderr
    assert ("northdale: 2 quarter(s) up to 2024Q3 approved as history (2024Q1–2024Q2); 1 in "
            "review left to their reviewer (2024Q3).") in done.stdout
    states = _states(tracker.url)
    assert states[("northdale", "2024Q1")] == states[("northdale", "2024Q2")] == "approved"
    assert states[("northdale", "2024Q3")] == "submitted"
    assert ("northdale", "2024Q4") not in states and ("eastmoor", "2024Q1") not in states

    audit = json.loads(tracker("audit", "--format", "json").stdout)["entries"]
    bulk = [e for e in audit if e["action"] == "approve-history"]
    assert sorted(e["detail"]["period"] for e in bulk) == ["2024Q1", "2024Q2"]
    assert all(e["detail"]["historical"] and e["detail"]["through"] == "2024Q3" for e in bulk)
    assert all(e["reason"] == "historical approval: reviewed on paper at the time" for e in bulk)

    engine = make_engine(tracker.url)
    with read_session(engine) as session:
        funder = readable_dataset(session, Actor("fay", "funder", portfolios=frozenset({"north"})))
    engine.dispose()
    assert sorted(funder["indicator_values"]["period"]) == ["2024Q1", "2024Q2"]


def test_approving_history_is_refused_for_an_unended_quarter_and_for_non_administrators(
    tracker: Tracker, tmp_path: Path
) -> None:
    assert tracker("import", str(_workbook(tmp_path / "wb"))).exit_code == 0
    now = current_period()
    early = tracker("quarter", "approve", "--through", now, "--institution", "northdale")
    assert early.exit_code == 1 and f"{now} has not ended yet" in early.stderr
    both = tracker("quarter", "approve", "--through", "2024Q2", "--period", "2024Q1",
                   "--institution", "northdale")
    assert both.exit_code == 1 and "either --period" in both.stderr
    engine = make_engine(tracker.url)
    add_user(engine, "eve", role="evaluator", password=None, actor=Actor("root", "admin"),
             institutions=["northdale"])
    engine.dispose()
    eve = tracker("quarter", "approve", "--through", "2024Q2", "--institution", "northdale",
                  "--as", "eve")
    assert eve.exit_code == 1 and "administrators only" in eve.stderr
    assert _states(tracker.url) == {}


def test_an_import_can_approve_the_workbooks_history(tracker: Tracker, tmp_path: Path) -> None:
    done = tracker("import", str(_workbook(tmp_path / "wb")), "--approve-history-through",
                   "2024Q2")
    assert done.exit_code == 0, done.stderr
    assert "eastmoor: 1 quarter(s) up to 2024Q2 approved as history" in done.stdout
    assert "northdale: 2 quarter(s) up to 2024Q2 approved as history" in done.stdout
    assert set(_states(tracker.url)) == {("eastmoor", "2024Q1"), ("northdale", "2024Q1"),
                                         ("northdale", "2024Q2")}


def test_the_sample_loads_with_its_history_approved(tracker: Tracker) -> None:
    done = tracker("sample", "load")
    assert done.exit_code == 0, done.stderr
    assert "The sample's history is approved" in done.stdout
    states = _states(tracker.url)
    assert len(states) > 400 and set(states.values()) == {"approved"}


def test_make_run_loads_the_sample_only_into_the_embedded_default_file(
    tracker: Tracker,
) -> None:
    # `make run` runs `tracker sample load --if-empty --only-embedded`: a configured database
    # (here --db; TRACKER_DATABASE_URL alike) stays empty for its team's first steps.
    done = tracker("sample", "load", "--if-empty", "--only-embedded")
    assert done.exit_code == 0, done.stderr
    assert "not the embedded default file: the sample was not loaded" in done.stdout
    assert _states(tracker.url) == {}
    assert tracker("export", "--help").exit_code == 0
    engine = make_engine(tracker.url)
    with read_session(engine) as session:
        from tracker.queries import existing_keys

        assert not existing_keys(session)["institutions"]
    engine.dispose()
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "tracker sample load --if-empty --only-embedded" in makefile
