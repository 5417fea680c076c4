"""A separate process that writes, for the tests of writers that die or race.

    python -m tests.writes.writer_process JOB.json

`JOB.json` says what to do:
- {"kind": "rows", "url", "actor", "rows": {table: [row, ...]}, "correct", "reason",
   "expected_versions", "ready": PATH, "go": PATH, "pause": SECONDS}
  creates `ready`, waits until the file `go` exists (so that two writers start together),
  writes the rows
  through the write layer, pausing `pause` seconds after planning (inside the transaction, so
  that two writers overlap), and prints {"outcome": "applied" | "conflict" | "refused",
  "message": ...} as JSON;
- {"kind": "import", "url", "path", "sentinel": PATH}
  imports the workbook at `path` and, once it has inserted the indicator values inside its
  transaction (the tables before them too, those after them not yet), creates `sentinel` and
  stops there for good, to be killed by the test.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from tracker.access import Actor
from tracker.db import make_engine
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.history.conflicts import ConflictRefused
from tracker.writes.imports import apply, importer
from tracker.writes.imports.rows import write_rows


def _pause_after_planning(seconds: float) -> None:
    plan = importer.plan_import

    def planned_then_pause(*args: Any, **kwargs: Any) -> Any:
        result = plan(*args, **kwargs)
        time.sleep(seconds)
        return result

    importer.plan_import = planned_then_pause  # type: ignore[assignment]


def write(job: dict[str, Any]) -> dict[str, str]:
    engine = make_engine(job["url"])
    _pause_after_planning(job.get("pause", 0.0))
    Path(job["ready"]).touch()
    go = Path(job["go"])
    while not go.exists():
        time.sleep(0.01)
    try:
        write_rows(
            engine,
            {name: pd.DataFrame(rows) for name, rows in job["rows"].items()},
            actor=Actor(job["actor"]),
            correct=job.get("correct", False),
            reason=job.get("reason"),
            expected_versions=job.get("expected_versions"),
        )
    except ConflictRefused as conflict:
        return {"outcome": "conflict", "message": str(conflict)}
    except WorkbookRefused as refused:
        return {"outcome": "refused", "message": refused.report()}
    return {"outcome": "applied", "message": ""}


def import_until_killed(job: dict[str, Any]) -> None:
    insert_columns = apply.insert_columns
    sentinel = Path(job["sentinel"])

    def insert_then_stop(connection: Any, table: Any, *args: Any, **kwargs: Any) -> Any:
        inserted = insert_columns(connection, table, *args, **kwargs)
        if table.name == "indicator_values":
            sentinel.touch()
            while True:  # the transaction stays open, its rows written, until the kill
                time.sleep(1)
        return inserted

    apply.insert_columns = insert_then_stop  # type: ignore[assignment]
    importer.import_workbook(make_engine(job["url"]), Path(job["path"]), actor=Actor("importer"))


def main() -> None:
    job = json.loads(Path(sys.argv[1]).read_text())
    if job["kind"] == "import":
        import_until_killed(job)
    else:
        print(json.dumps(write(job)))


if __name__ == "__main__":
    main()
