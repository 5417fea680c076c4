"""The measured steps, each run alone in a child process: `python -m bench.steps STEP JSON`.

A child prints one JSON object (its measurements) as the last line of its output. Running each
step in a process of its own gives it a clean heap, so the parent can read the step's own peak
memory from the child's resource usage, and a step cannot benefit from another's caches.
Only the work itself is timed (not starting Python or importing modules).
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    from tracker.writes.imports.importer import import_workbook

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


class _Sink(io.RawIOBase):
    """Standard output for a command run in-process: counts the bytes, keeps the last few."""

    def __init__(self) -> None:
        self.bytes = 0
        self.tail = b""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.bytes += len(chunk)
        self.tail = (self.tail + chunk)[-400:]
        return len(chunk)


@contextmanager
def _stdout_to(sink: _Sink) -> Iterator[None]:
    saved = sys.stdout
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(sink, buffer_size=1 << 20), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stdout = saved


def _command(arguments: list[str]) -> tuple[float, _Sink]:
    """Run `tracker ARGUMENTS` inside this process (already imported: the command's own work,
    not Python's start) with its standard output counted; its seconds and that output."""
    from typer.main import get_command

    from tracker.cli import app

    command = get_command(app)
    sink = _Sink()
    started = time.perf_counter()
    with _stdout_to(sink):
        code = command.main(arguments, prog_name="tracker", standalone_mode=False)
    seconds = time.perf_counter() - started
    if code not in (None, 0):
        raise RuntimeError(f"tracker {' '.join(arguments)} exited {code}: {sink.tail!r}")
    return seconds, sink


def _stored_results(url: str) -> int:
    from sqlalchemy import func, select

    from tracker import models
    from tracker.db import make_engine, read_session

    engine = make_engine(url)
    with read_session(engine) as session:
        count = session.scalar(select(func.count()).select_from(models.StoredAnalysis)) or 0
    engine.dispose()
    return int(count)


def store_json_step(args: dict[str, Any]) -> dict[str, Any]:
    """`tracker analyse --format json` (the results store, its default path), run in this
    process: from an empty store it computes and stores every institution; from a warm one
    it reads the stored documents. Output is counted, not kept."""
    stored_before = _stored_results(args["url"])
    seconds, sink = _command(["analyse", "--format", "json", "--db", args["url"]])
    if not sink.tail.endswith(b"]}\n"):
        raise RuntimeError(f"the JSON does not end as a document does: {sink.tail[-80:]!r}")
    return {
        "seconds": seconds,
        "json_bytes": sink.bytes,
        "stored_before": stored_before,
        "stored_after": _stored_results(args["url"]),
    }


def refresh_step(args: dict[str, Any]) -> dict[str, Any]:
    """`tracker results refresh --all`, run in this process: every stored result recomputed,
    in batches."""
    seconds, sink = _command(["results", "refresh", "--all", "--db", args["url"]])
    said = sink.tail.decode("utf-8", "replace").strip().splitlines()
    return {"seconds": seconds, "said": said[-1] if said else "",
            "stored_after": _stored_results(args["url"])}


def warm_store_step(args: dict[str, Any]) -> dict[str, Any]:
    """Bring the stored results up to date (`tracker results refresh`, stale ones only)."""
    seconds, _ = _command(["results", "refresh", "--db", args["url"]])
    return {"seconds": seconds, "stored_after": _stored_results(args["url"])}


def _data_versions(url: str, institution: str | None) -> tuple[int, int]:
    """The highest audit id (what the dashboard's data version follows, `dashboard.data`)
    and the institution's analysis data version."""
    from sqlalchemy import func, select

    from tracker import models
    from tracker.db import make_engine, read_session

    engine = make_engine(url)
    with read_session(engine) as session:
        audit = session.scalar(select(func.max(models.AuditEntry.id))) or 0
        own = session.scalar(
            select(models.AnalysisDataVersion.data_version)
            .join(models.Institution,
                  models.Institution.id == models.AnalysisDataVersion.institution_id)
            .where(models.Institution.key == institution)
        ) or 0
    engine.dispose()
    return int(audit), int(own)


def log_a_quarter(url: str) -> dict[str, Any]:
    """Write the next quarter of the first institution (by key) as the dashboard's "Log a
    quarter" saves it: its indicators' values for the quarter after its latest, through
    `tracker.writes.imports.rows.write_rows` (validation, locks, one audit entry per row and
    `staleness.mark_written` in one transaction)."""
    import pandas as pd
    from sqlalchemy import select

    from tracker import models
    from tracker.access import local_operator
    from tracker.db import make_engine, read_session
    from tracker.periods import period_from_index, period_index
    from tracker.queries import read_table
    from tracker.writes.imports.rows import write_rows

    engine = make_engine(url)
    with read_session(engine) as session:
        institution = session.scalars(
            select(models.Institution.key).order_by(models.Institution.key).limit(1)
        ).one()
        values = read_table(session, "indicator_values", institutions=[institution])
    latest = max(values["period"].astype(str), key=period_index)
    period = period_from_index(period_index(latest) + 1)
    last = values[values["period"].astype(str) == latest]
    rows = pd.DataFrame(
        {
            "institution": institution,
            "indicator": last["indicator"].to_numpy(),
            "period": period,
            "value": last["value"].to_numpy(),  # as last quarter: plausible, and new
            "source": "benchmark",
            "note": "",
        }
    )
    before = _data_versions(url, institution)
    started = time.perf_counter()
    write_rows(engine, {"indicator_values": rows}, actor=local_operator(), source="benchmark")
    seconds = time.perf_counter() - started
    after = _data_versions(url, institution)
    engine.dispose()
    if not (after[0] > before[0] and after[1] > before[1]):
        raise RuntimeError(f"the write changed no data version: {before} -> {after}")
    return {"institution": institution, "period": period, "values": len(rows),
            "seconds": seconds}


def page_step(args: dict[str, Any]) -> dict[str, Any]:
    """The portfolio page under Streamlit's AppTest, in one process: a cold run, a warm one;
    then one institution's quarter is written (`log_a_quarter`) and the page is run again
    (after a write: the data version changed) and once more (warm again)."""
    from streamlit.testing.v1 import AppTest

    from tracker.config import PROJECT_ROOT
    from tracker.dashboard.navigation import page_spec

    os.environ["TRACKER_DATABASE_URL"] = args["url"]
    page = str(page_spec("portfolio").path.relative_to(PROJECT_ROOT))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=1800)

    def timed(run: Any) -> float:
        started = time.perf_counter()
        run()
        return time.perf_counter() - started

    cold = timed(lambda: (app.run(), app.switch_page(page).run()))
    warm = timed(app.run)
    measured: dict[str, Any] = {"cold_seconds": cold, "seconds": warm}
    if args.get("write", True):
        measured["write"] = log_a_quarter(args["url"])
        measured["after_write_seconds"] = timed(app.run)
        measured["warm_again_seconds"] = timed(app.run)
    measured["exceptions"] = [str(item.value) for item in app.exception]
    return measured


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
    "store_json": store_json_step,
    "refresh": refresh_step,
    "warm_store": warm_store_step,
    "write_floor": write_floor_step,
    "read_floor": read_floor_step,
}


def main(argv: list[str]) -> None:
    step, args = argv[0], json.loads(argv[1])
    measured = STEPS[step](args)
    sys.stdout.write("\n" + json.dumps(measured) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
