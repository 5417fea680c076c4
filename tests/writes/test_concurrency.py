"""Writers that die or race, in real separate processes, on SQLite and PostgreSQL:
- an import killed with SIGKILL after it has written rows leaves the database exactly as it was;
- two processes writing the same records at once never lose an update: each write is either
  applied (in sequence, the earlier value kept in history) or refused as a conflict.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.writes.conftest import ADMIN
from tracker import models
from tracker.config import PROJECT_ROOT
from tracker.db import read_session
from tracker.generate.build import write_sample
from tracker.writes.history.versions import institution_history
from tracker.writes.imports.importer import import_workbook

pytestmark = pytest.mark.slow

TRUST = {"institution": "northdale", "indicator": "trust"}
# Long enough for Python to start and import the tracker on a busy two-core machine.
START_TIMEOUT = 120


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def fingerprint(engine: Engine) -> tuple[dict[str, int], str]:
    """Row counts per table and one hash over every row of every table, in key order."""
    digest = hashlib.sha256()
    counts = {}
    with read_session(engine) as session:
        for table in models.Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            counts[table.name] = len(rows)
            digest.update(table.name.encode())
            for row in rows:
                digest.update(repr(tuple(row)).encode())
    return counts, digest.hexdigest()


def start(job: dict[str, Any], folder: Path, name: str) -> subprocess.Popen[str]:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(job))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.writes.writer_process", str(path)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the writer ended early: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the writer never reached {path.name}")
        time.sleep(0.05)


def test_an_import_killed_midway_leaves_the_database_exactly_as_it_was(
    seeded: Engine, tmp_path: Path
) -> None:
    workbook = tmp_path / "generated"
    write_sample(workbook, institutions=20, years=3)
    before = fingerprint(seeded)
    sentinel = tmp_path / "writing"
    job = {"kind": "import", "url": url_of(seeded), "path": str(workbook),
           "sentinel": str(sentinel)}
    process = start(job, tmp_path, "import")
    wait_for(sentinel, process)  # inside its transaction, thousands of rows written
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert fingerprint(seeded) == before
    # and the database is whole: the same import now goes through
    report = import_workbook(seeded, workbook, actor=ADMIN)
    assert report.counts()["indicator_values"]["new"] > 500


def race(
    engine: Engine, folder: Path, jobs: list[dict[str, Any]], *, pause: float
) -> list[dict[str, str]]:
    """Run the writers together (each pausing inside its transaction) and collect outcomes."""
    go = folder / "go"
    processes = []
    for number, job in enumerate(jobs):
        ready = folder / f"ready-{number}"
        full = {"kind": "rows", "url": url_of(engine), "ready": str(ready), "go": str(go),
                "pause": pause, **job}
        processes.append((start(full, folder, f"writer-{number}"), ready))
    for process, ready in processes:
        wait_for(ready, process)
    go.touch()
    outcomes = []
    for process, _ in processes:
        out, err = process.communicate(timeout=START_TIMEOUT)
        assert process.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return outcomes


def trust_history(engine: Engine, period: str) -> list[tuple[int, float, str]]:
    with read_session(engine) as session:
        versions = institution_history(
            session, institution="northdale", indicator="trust", period=period
        )
    return [(v.version, v.data["value"], v.recorded_by) for v in versions]


def correction(actor: str, value: float, **extra: Any) -> dict[str, Any]:
    row = {**TRUST, "period": "2024Q1", "value": value}
    return {"actor": actor, "rows": {"indicator_values": [row]}, "correct": True,
            "reason": f"{actor}'s correction", **extra}


def test_two_people_correcting_the_version_they_saw_one_wins_one_is_told(
    seeded: Engine, tmp_path: Path
) -> None:
    seen = {"expected_versions": {"indicator_values": {"northdale|trust|2024Q1": 1}}}
    outcomes = race(
        seeded, tmp_path, [correction("ana", 70.0, **seen), correction("bea", 80.0, **seen)],
        pause=0.5,
    )
    assert sorted(o["outcome"] for o in outcomes) == ["applied", "conflict"]
    winner, value = ("ana", 70.0) if outcomes[0]["outcome"] == "applied" else ("bea", 80.0)
    loser = next(o for o in outcomes if o["outcome"] == "conflict")
    assert f"by {winner} at " in loser["message"] and "Nothing was applied" in loser["message"]
    assert trust_history(seeded, "2024Q1") == [(1, 61.0, "ana"), (2, value, winner)]


def test_two_corrections_at_once_are_applied_in_sequence_or_refused_never_lost(
    seeded: Engine, tmp_path: Path
) -> None:
    outcomes = race(
        seeded, tmp_path, [correction("ana", 70.0), correction("bea", 80.0)], pause=0.5
    )
    applied = {
        writer: value
        for (writer, value), outcome in zip((("ana", 70.0), ("bea", 80.0)), outcomes, strict=True)
        if outcome["outcome"] == "applied"
    }
    assert all(o["outcome"] in ("applied", "conflict") for o in outcomes), outcomes
    history = trust_history(seeded, "2024Q1")
    # every applied value is a version of the record; the original is kept; nothing else
    assert [v for v, _, _ in history] == list(range(1, len(applied) + 2))
    assert history[0][1] == 61.0
    assert {(value, who) for _, value, who in history[1:]} == {
        (value, who) for who, value in applied.items()
    }


def test_two_people_adding_the_same_record_at_once_never_lose_one(
    seeded: Engine, tmp_path: Path
) -> None:
    def adding(actor: str, value: float) -> dict[str, Any]:
        row = {**TRUST, "period": "2024Q2", "value": value}
        return {"actor": actor, "rows": {"indicator_values": [row]}, "correct": True,
                "reason": f"{actor}'s value"}

    outcomes = race(seeded, tmp_path, [adding("ana", 70.0), adding("bea", 80.0)], pause=0.5)
    assert all(o["outcome"] in ("applied", "conflict") for o in outcomes), outcomes
    applied = [
        (value, who)
        for (who, value), o in zip((("ana", 70.0), ("bea", 80.0)), outcomes, strict=True)
        if o["outcome"] == "applied"
    ]
    history = trust_history(seeded, "2024Q2")
    assert {(value, who) for _, value, who in history} == set(applied)
    for o in outcomes:
        if o["outcome"] == "conflict":
            assert "was added by" in o["message"] or "was written by" in o["message"]
