"""The HTTP API against the workbook import: one quarter of indicator values for 2,000
institutions (about 12,000 values), posted as quarter sets in batches, beside
`tracker import` of the same rows.

    python bench/api.py                                  # 2,000 institutions, both databases
    python bench/api.py --databases sqlite --batch-sizes 1000

A synthetic portfolio of one year (`tracker sample generate`) is split into a base workbook and
the indicator values of its last quarter. For each database and each way in, a fresh migrated
database gets the base (not timed); then the quarter goes in:

- **workbook**: `tracker import QUARTER/` in a process of its own, timed whole (interpreter start
  included), as a user runs it;
- **API, batches of N**: `tracker serve-api` already running (its start not timed), a client
  posts the quarter as `POST /v1/quarter-sets` of N rows each, one after the other; timed from
  the first request to the last answer.

Both go through the same write layer; the API writes one audit entry per row (rows without a
file), the workbook import one entry for the file. Results go to bench/api_results.json and to
their own section of bench/results.md (kept when `bench/run.py` rewrites the rest).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `tracker` importable
    sys.path.insert(0, str(ROOT))

from bench.databases import DEFAULT_POSTGRES, drop_database, fresh_database  # noqa: E402

BENCH = ROOT / "bench"
RESULTS = BENCH / "api_results.json"
START, END = "<!-- api-bench:start -->", "<!-- api-bench:end -->"
TRACKER = str(Path(sys.executable).parent / "tracker")


def split_quarter(workbook: Path, base: Path, quarter: Path) -> tuple[str, list[dict[str, str]]]:
    """Copy `workbook` to `base` without its last quarter's indicator values, which go to
    `quarter` (a workbook of that one table); returns the quarter and its rows."""
    shutil.copytree(workbook, base)
    with (workbook / "indicator_values.csv").open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    last = max(row["period"] for row in rows)
    kept = [row for row in rows if row["period"] != last]
    posted = [row for row in rows if row["period"] == last]
    for folder, chosen in ((base, kept), (quarter, posted)):
        folder.mkdir(exist_ok=True)
        with (folder / "indicator_values.csv").open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=columns)
            writer.writeheader()
            writer.writerows(chosen)
    return last, posted


def _prepared(kind: str, *, base: Path, workdir: Path, label: str, postgres: str) -> Any:
    from tracker.access import local_operator
    from tracker.db import make_engine
    from tracker.writes.imports.importer import import_workbook

    database = fresh_database(kind, workdir=workdir, label=label, postgres_url=postgres)
    engine = make_engine(database.url)
    import_workbook(engine, base, actor=local_operator())
    engine.dispose()
    return database


def _stored(url: str, period: str) -> int:
    from sqlalchemy import func, select

    from tracker import models
    from tracker.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(models.IndicatorValue)
                             .where(models.IndicatorValue.period == period)).scalar()
    engine.dispose()
    return int(count or 0)


def workbook_import(database: Any, quarter: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, from the child's own resource usage)."""
    started = time.monotonic()
    child = subprocess.Popen([TRACKER, "import", str(quarter), "--db", database.url],
                             stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("tracker import failed")
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime


def layer_floor(database: Any, quarter: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the write layer alone on the same rows: `import_workbook` in
    this process (no interpreter start, no imports of the product, no HTTP)."""
    from tracker.access import local_operator
    from tracker.db import make_engine
    from tracker.writes.imports.importer import import_workbook

    engine = make_engine(database.url)
    started, cpu = time.monotonic(), time.process_time()
    import_workbook(engine, quarter, actor=local_operator())
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    engine.dispose()
    return seconds, cpu


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def api_posts(database: Any, rows: list[dict[str, str]], batch: int) -> tuple[float, float]:
    """Wall and CPU seconds (the server's and the client's) of posting `rows` in batches."""
    import httpx

    from tracker.access import local_operator
    from tracker.db import make_engine
    from tracker.tokens import create_token
    from tracker.users import add_user

    engine = make_engine(database.url)
    add_user(engine, "bench", role="admin", password=None, actor=local_operator())
    token, _ = create_token(engine, "bench", actor=local_operator())
    engine.dispose()
    port = _free_port()
    server = subprocess.Popen([TRACKER, "serve-api", "--port", str(port), "--db", database.url],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/v1/me").raise_for_status()
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            started, server_cpu = time.monotonic(), _cpu_seconds(server.pid)
            client_cpu = time.process_time()
            new = 0
            for first in range(0, len(rows), batch):
                chunk = rows[first : first + batch]
                answer = client.post("/v1/quarter-sets",
                                     json={"tables": {"indicator_values": chunk}})
                if answer.status_code != 200:
                    raise RuntimeError(f"batch at {first}: {answer.status_code} {answer.text}")
                new += answer.json()["tables"]["indicator_values"]["new"]
            seconds = time.monotonic() - started
            cpu = _cpu_seconds(server.pid) - server_cpu + time.process_time() - client_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)
    if new != len(rows):
        raise RuntimeError(f"the API added {new} of {len(rows)} rows")
    return seconds, cpu


def measure(options: argparse.Namespace) -> dict[str, Any]:
    from tracker.generate import write_sample

    workdir: Path = options.workdir / f"api-{options.institutions}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    write_sample(workdir / "workbook", institutions=options.institutions, years=1,
                 seed=options.seed)
    period, rows = split_quarter(workdir / "workbook", workdir / "base", workdir / "quarter")
    print(f"{options.institutions:,} institutions, {len(rows):,} values of {period}", flush=True)
    measured: dict[str, Any] = {
        "institutions": options.institutions, "values": len(rows), "period": period,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "nproc": str(len(os.sched_getaffinity(0))),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "bench/api.py", *sys.argv[1:]]),
        "databases": {},
    }
    for kind in options.databases.split(","):
        figures: dict[str, float] = {}
        database = _prepared(kind, base=workdir / "base", workdir=workdir, label="floor",
                             postgres=options.postgres_url)
        figures["floor"], figures["floor_cpu"] = layer_floor(database, workdir / "quarter")
        drop_database(database)
        print(f"  {kind}: write layer in-process {figures['floor']:.2f} s "
              f"(CPU {figures['floor_cpu']:.2f} s)", flush=True)
        database = _prepared(kind, base=workdir / "base", workdir=workdir, label="workbook",
                             postgres=options.postgres_url)
        figures["workbook"], figures["workbook_cpu"] = workbook_import(database,
                                                                       workdir / "quarter")
        assert _stored(database.url, period) == len(rows)
        drop_database(database)
        print(f"  {kind}: workbook import {figures['workbook']:.2f} s "
              f"(CPU {figures['workbook_cpu']:.2f} s)", flush=True)
        for batch in options.batch_sizes:
            database = _prepared(kind, base=workdir / "base", workdir=workdir, label=f"api{batch}",
                                 postgres=options.postgres_url)
            figures[f"api_{batch}"], figures[f"api_{batch}_cpu"] = api_posts(database, rows,
                                                                             batch)
            assert _stored(database.url, period) == len(rows)
            drop_database(database)
            print(f"  {kind}: API, batches of {batch:,}: {figures[f'api_{batch}']:.2f} s "
                  f"(CPU {figures[f'api_{batch}_cpu']:.2f} s)", flush=True)
        measured["databases"][kind] = figures
    measured["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    shutil.rmtree(workdir, ignore_errors=True)
    return measured


def api_section(path: Path = RESULTS) -> str:
    """The Markdown section of bench/results.md for these figures ("" before any run)."""
    if not path.is_file():
        return ""
    data = json.loads(path.read_text())
    lines = [
        "", START, "",
        "## HTTP API against the workbook import (`python bench/api.py`)", "",
        f"One quarter ({data['period']}) of indicator values for {data['institutions']:,} "
        f"institutions: {data['values']:,} values, into a database already holding the rest "
        "of a one-year synthetic portfolio. *Workbook*: `tracker import QUARTER/`, the whole "
        "process timed. *API*: `POST /v1/quarter-sets` in batches of N rows, one after the "
        "other, to a running `tracker serve-api`, from the first request to the last answer. "
        "Both use the same write layer; the API writes one audit entry per row, the import "
        "one per file.", "",
        f"**Measured on a shared machine** ({data['nproc']} cores used by several agents at "
        f"the same time; load average {data['load average at start']} at the start, "
        f"{data['load average at end']} at the end): the figures are slower and noisier than "
        f"on an idle machine; the ratios are the point. Run {data['started']}: "
        f"`{data['command']}`.", "",
    ]
    batches = sorted({int(k.split("_")[1]) for figures in data["databases"].values()
                      for k in figures if k.startswith("api_")})
    header = ["database", "seconds", "floor: write layer in-process", "workbook import",
              *[f"API, batches of {b:,} (÷ workbook)" for b in batches]]
    lines += ["| " + " | ".join(header) + " |", "|---|---|" + "---:|" * (len(header) - 2)]
    for kind, figures in data["databases"].items():
        for label, suffix in (("wall", ""), ("CPU", "_cpu")):
            base = figures[f"workbook{suffix}"]
            cells = [kind, label, f"{figures[f'floor{suffix}']:.2f}", f"{base:.2f}"]
            for b in batches:
                seconds = figures.get(f"api_{b}{suffix}")
                cells.append("—" if seconds is None else f"{seconds:.2f} ({seconds / base:.2f}×)")
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "*Floor*: `import_workbook` of the same rows inside one Python process that "
              "has already imported the product: the write layer's own cost, without "
              "interpreter start or HTTP. "
              "*CPU* is user + system time: of the `tracker import` process; of the API "
              "server and the client while posting. It is less disturbed by the other agents' "
              "load than wall time."]
    lines += ["", END, ""]
    return "\n".join(lines)


def write_section(results: Path) -> None:
    """Put the API section into results.md, in place of an earlier one."""
    text = results.read_text() if results.is_file() else ""
    if START in text and END in text:
        text = text[: text.index(START)].rstrip("\n") + "\n" + text[text.index(END) + len(END):]
    results.write_text(text.rstrip("\n") + "\n" + api_section())


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--institutions", type=int, default=2000)
    parser.add_argument("--batch-sizes", type=lambda t: [int(x) for x in t.split(",")],
                        default=[500, 2000], help="rows per request (default 500,2000)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    options = parse(argv)
    measured = measure(options)
    RESULTS.write_text(json.dumps(measured, indent=1) + "\n")
    write_section(BENCH / "results.md")
    print(f"Wrote {RESULTS} and its section of bench/results.md")


if __name__ == "__main__":
    main(sys.argv[1:])
