"""Benchmarks at national scale: import, analysis and the portfolio page beside their floors.

    python bench/run.py                                   # 100, 2,000 and 25,000; both databases
    python bench/run.py --sizes 100,2000 --databases sqlite
    make bench

    python bench/run.py --sizes 25000 --databases sqlite --steps store,refresh,page

For each size: generate a synthetic portfolio (`tracker sample generate`), then on each
database: import it into a fresh, migrated database; measure the write floor by inserting the
rows the import stored into a second fresh database; measure the read floor and the analysis
(`--fresh`: the records analysed now); run `tracker analyse --format json` from an empty results
store, then from the warm store (`store`); `tracker results refresh --all`, in-process and as a
whole process (`refresh`); render the portfolio page (AppTest: cold, warm, after one
institution's quarter was written, warm again). Every step runs in a child process of its own
(`bench/steps.py`); its peak memory is read from that child's resource usage.

Results are merged into bench/results.json by database and size, and bench/results.md is
rendered from all. `--steps` measures only some steps (the import always runs, to have a
database): their figures replace those of earlier runs, the others are kept. This is a script
for people, not a timed test: the machine's load is recorded with the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `tracker` importable
    sys.path.insert(0, str(ROOT))

from bench.api import api_section  # noqa: E402
from bench.databases import (  # noqa: E402
    DEFAULT_POSTGRES,
    BenchDatabase,
    drop_database,
    fresh_database,
    postgres_version,
)
from bench.machine import machine  # noqa: E402
from bench.report import load_records, merge_record, render, save_records  # noqa: E402
from bench.whole_process import TRACKER  # noqa: E402
from bench.whole_process import _wait as wait_process  # noqa: E402

BENCH = ROOT / "bench"
STEP_TIMEOUT = 3 * 3600
# What `--steps` chooses from, and the record entries each one writes.
STEP_GROUPS: dict[str, tuple[str, ...]] = {
    "import": ("import",),
    "write_floor": ("write_floor",),
    "read_floor": ("read_floor",),
    "analyse": ("analyse",),
    "store": ("store_cold", "store_warm"),
    "refresh": ("refresh", "refresh_process"),
    "page": ("page",),
}


def run_step(step: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one measured step in a child process; its result plus its peak memory in MiB.

    `os.wait4` returns the resource usage of that one child: the same figures
    `getrusage(RUSAGE_CHILDREN)` reports, but for this step alone rather than the largest child
    so far.
    """
    command = [sys.executable, "-m", "bench.steps", step, json.dumps(args)]
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"step {step} failed (exit {child.returncode}): {output[-2000:]}")
    measured: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    # ru_maxrss is in KiB on Linux.
    measured["peak_mib"] = usage.ru_maxrss / 1024
    measured["wall_seconds"] = time.monotonic() - started
    print(f"    {step:<12} {_summary(measured)}", flush=True)
    return measured


def run_process(name: str, arguments: list[str], database: BenchDatabase) -> dict[str, Any]:
    """`tracker ARGUMENTS --db URL` as a whole process, as a user runs it (Python's start and
    imports included), timed from outside, with its peak memory (`bench.whole_process`)."""
    measured: dict[str, Any] = {
        **wait_process([TRACKER, *arguments, "--db", database.url]),
        "command": shlex.join(["tracker", *arguments]),
    }
    print(f"    {name:<12} {_summary(measured)}", flush=True)
    return measured


def _summary(measured: dict[str, Any]) -> str:
    parts = [f"{measured.get('seconds', 0):.2f} s"]
    if "rows" in measured:
        parts.append(f"{measured['rows']:,} rows")
    parts.append(f"peak {measured['peak_mib']:,.0f} MiB")
    return ", ".join(parts)


def _database_args(database: BenchDatabase) -> dict[str, Any]:
    return {
        "kind": database.kind,
        "url": database.url,
        "sqlite_path": str(database.sqlite_path) if database.sqlite_path else None,
        "schema": database.schema,
        "server_url": database.server_url,
    }


def bench_database(
    kind: str, *, institutions: int, workbook: Path, generated: dict[str, Any],
    options: argparse.Namespace,
) -> dict[str, Any]:
    """Every chosen measurement of one size on one database (the import always runs)."""
    label = f"{kind}-{institutions}"
    print(f"  {kind}", flush=True)
    steps = options.steps
    made = dict(workdir=options.workdir, postgres_url=options.postgres_url)
    imported = fresh_database(kind, label=f"{label}-import", **made)
    floor = None
    try:
        record: dict[str, Any] = {"database": kind, "institutions": institutions,
                                  "years": options.years, "seed": options.seed,
                                  "rows": generated["rows"], "generate": generated}
        url = {"url": imported.url}
        record["import"] = run_step("import", {**url, "path": str(workbook)})
        if "write_floor" in steps:
            # Before any step adds analysis results: the floor stores what the import stored.
            floor = fresh_database(kind, label=f"{label}-floor", **made)
            record["write_floor"] = run_step(
                "write_floor",
                {"source": _database_args(imported), "target": _database_args(floor)},
            )
            drop_database(floor)
            floor = None
        if "read_floor" in steps:
            record["read_floor"] = run_step("read_floor", {"database": _database_args(imported)})
        if "analyse" in steps:
            record["analyse"] = run_step("analyse", url)
        if "store" in steps:
            record["store_cold"] = run_step("store_json", url)  # the import left it empty
            record["store_warm"] = run_step("store_json", url)
        if "refresh" in steps:
            record["refresh"] = run_step("refresh", url)
            record["refresh_process"] = run_process(
                "refresh (whole process)", ["results", "refresh", "--all"], imported
            )
        if "page" in steps and (options.page_sizes is None or institutions in options.page_sizes):
            if "store" not in steps and "refresh" not in steps:
                run_step("warm_store", url)  # the page is measured beside a warm store
            record["page"] = run_step("page", url)
            if record["page"].get("exceptions"):
                print(f"    page raised: {record['page']['exceptions']}", flush=True)
        return record
    finally:
        if not options.keep:
            drop_database(imported)
            if floor is not None:
                drop_database(floor)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])

    def sizes(text: str) -> list[int]:
        return [int(part.replace("_", "")) for part in text.split(",") if part]

    def steps(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        unknown = sorted(set(chosen) - set(STEP_GROUPS))
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown step(s) {', '.join(unknown)}: choose from {', '.join(STEP_GROUPS)}"
            )
        return chosen

    parser.add_argument("--sizes", "--institutions", type=sizes, default=[100, 2_000, 25_000],
                        help="institution counts, comma-separated (default 100,2000,25000)")
    parser.add_argument("--years", type=int, default=10, help="years of quarters (default 10)")
    parser.add_argument("--seed", type=int, default=2025, help="generator seed (default 2025)")
    parser.add_argument("--databases", default="sqlite,postgres",
                        help="sqlite, postgres or both (default both)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES,
                        help=f"PostgreSQL server; a fresh schema is made per database "
                        f"(default {DEFAULT_POSTGRES})")
    parser.add_argument("--steps", type=steps, default=list(STEP_GROUPS),
                        help="the steps to measure, comma-separated, from "
                        f"{','.join(STEP_GROUPS)} (default all); the figures of the others "
                        "are kept from earlier runs")
    parser.add_argument("--page-sizes", type=sizes, default=None,
                        help="sizes at which the portfolio page is rendered (default: every size)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench",
                        help="where workbooks and SQLite files go (default var/bench)")
    parser.add_argument("--results", type=Path, default=BENCH / "results.md",
                        help="the Markdown to write (results.json goes beside it)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases afterwards (to look at them)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    options = parse(argv)
    kinds = [k.strip() for k in options.databases.split(",") if k.strip()]
    options.workdir.mkdir(parents=True, exist_ok=True)
    run = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "command": shlex.join(["python", "bench/run.py", *argv]),
        "machine": machine(postgres_version(options.postgres_url) if "postgres" in kinds
                           else None),
    }
    store = options.results.with_suffix(".json")
    records = load_records(store)
    for institutions in options.sizes:
        print(f"{institutions:,} institutions × {options.years} years", flush=True)
        workbook = options.workdir / f"portfolio-{institutions}-{options.years}y-{options.seed}"
        if workbook.exists():
            subprocess.run(["rm", "-rf", str(workbook)], check=True)
        generated = run_step("generate", {"path": str(workbook), "institutions": institutions,
                                          "years": options.years, "seed": options.seed})
        for kind in kinds:
            record = bench_database(kind, institutions=institutions, workbook=workbook,
                                    generated=generated, options=options)
            measured = [entry for step in options.steps for entry in STEP_GROUPS[step]]
            partial = set(options.steps) != set(STEP_GROUPS)
            earlier = next((r for r in records
                            if (r["database"], r["institutions"]) == (kind, institutions)), None)
            if partial and earlier is not None and any(
                earlier.get(key) != record.get(key) for key in ("years", "seed", "rows")
            ):
                print(f"  the earlier {kind} {institutions:,} figures were of other rows "
                      f"({earlier['rows']:,}, not {record['rows']:,}): replaced, not merged",
                      flush=True)
            records = merge_record(records, record, run=run,
                                   measured=measured if partial else None)
            # Written after every database, so an interrupted long run keeps what it measured.
            save_records(store, records)
            # bench/api.py's own section (from bench/api_results.json) is kept.
            options.results.write_text(render(load_records(store)) + api_section())
        subprocess.run(["rm", "-rf", str(workbook)], check=True)
    print(f"Wrote {options.results}")


if __name__ == "__main__":
    main(sys.argv[1:])
