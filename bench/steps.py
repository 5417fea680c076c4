"""The measured steps, each run alone in a child process: `python -m bench.steps STEP JSON`.

A child prints one JSON object (its measurements) as the last line of its output. Running each
step in a process of its own gives it a clean heap, so the parent can read the step's own peak
memory from the child's resource usage, and a step cannot benefit from another's caches.
Only the work itself is timed (not starting Python or importing modules).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench.databases import BenchDatabase
from bench.floors import read_floor, write_floor


def generate(args: dict[str, Any]) -> dict[str, Any]:
    from tracker.generate import write_sample

    started = time.perf_counter()
    dataset = write_sample(
        Path(args["path"]), institutions=args["institutions"], years=args["years"],
        seed=args["seed"],
    )
    return {
        "seconds": time.perf_counter() - started,
        "rows": dataset.row_count(),
        "values": len(dataset["indicator_values"]),
    }


def import_step(args: dict[str, Any]) -> dict[str, Any]:
    from tracker.access import local_operator
    from tracker.db import make_engine
    from tracker.writes.importer import import_workbook

    engine = make_engine(args["url"])
    started = time.perf_counter()
    report = import_workbook(engine, Path(args["path"]), actor=local_operator())
    elapsed = time.perf_counter() - started
    engine.dispose()
    rows = sum(counts["new"] for counts in report.counts().values())
    return {"seconds": elapsed, "rows": rows}


def analyse_step(args: dict[str, Any]) -> dict[str, Any]:
    """What `tracker analyse --format json` does: read what the operator may read, analyse,
    and turn the result into JSON."""
    from tracker.access import local_operator
    from tracker.analysis.run import analyse
    from tracker.db import make_engine, read_session
    from tracker.scope import readable_dataset

    engine = make_engine(args["url"])
    started = time.perf_counter()
    with read_session(engine) as session:
        dataset = readable_dataset(session, local_operator())
    loaded = time.perf_counter()
    result = analyse(dataset)
    analysed = time.perf_counter()
    # The peak so far is the analysis's; turning the result into JSON comes on top.
    analysis_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = json.dumps(result.to_json())
    done = time.perf_counter()
    engine.dispose()
    return {
        "load_seconds": loaded - started,
        "analyse_seconds": analysed - loaded,
        "seconds": analysed - started,
        "json_seconds": done - analysed,
        "json_bytes": len(text),
        "analysis_peak_mib": analysis_peak,
        "institutions": len(result.institutions),
    }


def page_step(args: dict[str, Any]) -> dict[str, Any]:
    """The portfolio page under Streamlit's AppTest: a cold run, then a warm one."""
    from streamlit.testing.v1 import AppTest

    from tracker.config import PROJECT_ROOT
    from tracker.dashboard.navigation import page_spec

    os.environ["TRACKER_DATABASE_URL"] = args["url"]
    page = str(page_spec("portfolio").path.relative_to(PROJECT_ROOT))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=1800)
    started = time.perf_counter()
    app.run()
    app.switch_page(page).run()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    app.run()
    warm = time.perf_counter() - started
    failures = [str(item.value) for item in app.exception]
    return {"cold_seconds": cold, "seconds": warm, "exceptions": failures}


def _database(args: dict[str, Any], name: str) -> BenchDatabase:
    fields = dict(args[name])
    if fields.get("sqlite_path"):
        fields["sqlite_path"] = Path(fields["sqlite_path"])
    return BenchDatabase(**fields)


def write_floor_step(args: dict[str, Any]) -> dict[str, Any]:
    return write_floor(_database(args, "source"), _database(args, "target"))


def read_floor_step(args: dict[str, Any]) -> dict[str, Any]:
    return read_floor(_database(args, "database"))


STEPS = {
    "generate": generate,
    "import": import_step,
    "analyse": analyse_step,
    "page": page_step,
    "write_floor": write_floor_step,
    "read_floor": read_floor_step,
}


def main(argv: list[str]) -> None:
    step, args = argv[0], json.loads(argv[1])
    measured = STEPS[step](args)
    sys.stdout.write("\n" + json.dumps(measured) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
