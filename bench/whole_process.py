"""Whole-process figures for issue 11, each beside its floor, in one run.

    python bench/whole_process.py                          # 2,000 institutions, SQLite
    python bench/whole_process.py --institutions 25000 --databases sqlite,postgres

On a generated portfolio (`tracker sample generate --institutions N --years 10 --seed 7`),
imported into a fresh, migrated database, every figure is a whole process as a user runs it
(start Python, import, work, write the output to a file), timed from outside with its peak
memory from `os.wait4`:

- read floor: `bench/read_floor.py` (pandas.read_sql of every table the analysis reads);
- `tracker analyse --format json` from an empty results store (cold: computes and stores every
  institution), then with a warm store; `--fresh` (the store bypassed);
- `tracker analyse --format table` (warm store);
- `tracker results refresh --all` (every result recomputed, in batches);
- after one institution's indicator value was corrected: `tracker analyse --format json`
  (refreshes that one institution);
- `tracker --help` beside `python -c "import typer, rich"`.

Repeated figures are the median of `--repeat` runs. Python's bytecode cache is allowed
(PYTHONDONTWRITEBYTECODE is removed), as on any installed machine after the first run.
Results go to bench/whole_process.json and into bench/results.md (section "Whole process").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.databases import (  # noqa: E402
    DEFAULT_POSTGRES,
    BenchDatabase,
    drop_database,
    fresh_database,
    postgres_version,
)
from bench.floors import analysed_tables  # noqa: E402
from bench.machine import machine  # noqa: E402

RESULTS = ROOT / "bench" / "whole_process.json"
START, END = "<!-- whole-process:start -->", "<!-- whole-process:end -->"
TRACKER = str(Path(sys.executable).with_name("tracker"))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wait(command: list[str], output: Path | None = None) -> dict[str, float]:
    """Run `command` to completion (stdout to `output`): its wall time and its own peak
    resident memory in MiB (from `os.wait4`, which reaps it)."""
    sink = output.open("wb") if output is not None else open(os.devnull, "wb")  # noqa: SIM115
    with sink:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=sink, stderr=subprocess.PIPE, env=ENV)
        assert child.stderr is not None
        stderr = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode()[-2000:]}")
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024}


def median_of(repeat: int, command: list[str], output: Path | None = None) -> dict[str, Any]:
    runs = [_wait(command, output) for _ in range(repeat)]
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "runs": [round(r["seconds"], 3) for r in runs],
        "command": " ".join(command),
    }


def _empty_store(database: BenchDatabase) -> None:
    connection = database.dbapi_connect()
    try:
        connection.execute("DELETE FROM analysis_results")
        if database.kind == "postgres":
            connection.commit()
    finally:
        connection.close()


def _correction(workbook: Path, folder: Path) -> Path:
    """A workbook of one corrected indicator value (the first institution's first value)."""
    with (workbook / "indicator_values.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        row = next(reader)
    row["value"] = str(round(float(row["value"]) + 3.5, 2))
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "indicator_values.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    return folder


def measure(database: BenchDatabase, workbook: Path, workdir: Path, repeat: int) -> dict[str, Any]:
    url = ["--db", database.url]
    out: dict[str, Any] = {}
    out["import"] = _wait([TRACKER, "import", str(workbook), *url])
    json_out, table_out = workdir / "analysis.json", workdir / "analysis.txt"
    floor_out = workdir / "floor.txt"
    out["read_floor"] = median_of(
        repeat,
        [sys.executable, "bench/read_floor.py", database.url, *analysed_tables()],
        floor_out,
    )
    out["floor_rows"] = int(floor_out.read_text().strip())
    _empty_store(database)
    out["json_cold"] = {
        **_wait([TRACKER, "analyse", "--format", "json", *url], json_out),
        "command": "tracker analyse --format json (empty store)",
    }
    out["json_bytes"] = json_out.stat().st_size
    out["json_warm"] = median_of(repeat, [TRACKER, "analyse", "--format", "json", *url], json_out)
    out["table_warm"] = median_of(
        repeat, [TRACKER, "analyse", "--format", "table", *url], table_out
    )
    out["table_bytes"] = table_out.stat().st_size
    out["json_fresh"] = _wait(
        [TRACKER, "analyse", "--fresh", "--format", "json", *url], workdir / "fresh.json"
    )
    out["refresh_all"] = _wait([TRACKER, "results", "refresh", "--all", *url])
    _wait(
        [
            TRACKER,
            "import",
            str(_correction(workbook, workdir / "one-write")),
            "--correct",
            "--reason",
            "benchmark: one institution's value corrected",
            *url,
        ]
    )
    out["json_after_one_write"] = _wait([TRACKER, "analyse", "--format", "json", *url], json_out)
    out["help"] = median_of(max(repeat, 5), [TRACKER, "--help"])
    out["typer_start"] = median_of(max(repeat, 5), [sys.executable, "-c", "import typer, rich"])
    return out


HEADINGS = (
    "database",
    "institutions",
    "rows read by the floor",
    "read floor s",
    "analyse json, empty store s (÷ floor)",
    "analyse json, warm store s (÷ floor)",
    "analyse table, warm s (÷ json warm)",
    "analyse --fresh json s",
    "results refresh --all s (peak MiB)",
    "json after one institution's write s",
    "--help s (÷ typer start)",
    "typer, rich start s",
    "JSON MB",
)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


def section(records: list[dict[str, Any]]) -> list[str]:
    """The "Whole process" section of bench/results.md."""
    if not records:
        return []
    lines = [
        START,
        "",
        "## Whole process (issue 11: results store, output, start-up)",
        "",
        "Written by `bench/whole_process.py`. Every figure is a whole process as a user runs it "
        "(start Python, import, work, write the output to a file), timed from outside; peak "
        "memory is the child's maximum resident set size. Medians of the repeats shown. The "
        "read floor is `bench/read_floor.py`: a process that imports pandas and SQLAlchemy and "
        "`pandas.read_sql`s every table the analysis reads. **The machine was shared with 7 "
        "other agents running tests and benchmarks while these were taken** (load average "
        "below): absolute times are inflated and noisy; ratios measured in the same run are "
        "the figures to read. Peak memory includes the benchmark process's own ~170 MiB (the "
        "child is forked from it before it runs the command), so only differences above that "
        "are the command's.",
        "",
        "| " + " | ".join(HEADINGS) + " |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in records:
        m = r["measured"]
        floor = m["read_floor"]["seconds"]
        lines.append(
            f"| {r['database']} | {r['institutions']:,} | {r['measured']['floor_rows']:,} | "
            f"{floor:.2f} | {m['json_cold']['seconds']:.2f} "
            f"({_ratio(m['json_cold']['seconds'], floor)}) | {m['json_warm']['seconds']:.2f} "
            f"({_ratio(m['json_warm']['seconds'], floor)}) | {m['table_warm']['seconds']:.2f} "
            f"({_ratio(m['table_warm']['seconds'], m['json_warm']['seconds'])}) | "
            f"{m['json_fresh']['seconds']:.2f} | {m['refresh_all']['seconds']:.2f} "
            f"({m['refresh_all']['peak_mib']:,.0f}) | "
            f"{m['json_after_one_write']['seconds']:.2f} | {m['help']['seconds']:.2f} "
            f"({_ratio(m['help']['seconds'], m['typer_start']['seconds'])}) | "
            f"{m['typer_start']['seconds']:.2f} | {m['json_bytes'] / 1e6:.1f} |"
        )
    lines += ["", "Runs:", ""]
    for r in records:
        lines.append(
            f"- {r['database']}, {r['institutions']:,} institutions, started {r['started']}: "
            f"`{r['command']}`; load average at start {r['machine']['load average at start']}; "
            f"{r['machine']['nproc']} cores ({r['machine']['cpu']}), {r['machine']['memory']}; "
            f"commit {r['machine']['commit']}; repeats: json warm "
            f"{r['measured']['json_warm']['runs']}, table {r['measured']['table_warm']['runs']}, "
            f"floor {r['measured']['read_floor']['runs']}, --help {r['measured']['help']['runs']}"
        )
    lines += ["", END, ""]
    return lines


def write_section(results: Path) -> None:
    """Put this section into results.md in place of an earlier one (the rest is kept)."""
    text = results.read_text() if results.is_file() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + text[text.index(END) + len(END) :].lstrip("\n")
    block = "\n".join(section(load()))
    anchor = "<!-- api-bench:start -->"
    if anchor in text:
        at = text.index(anchor)
        text = text[:at] + block + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    results.write_text(text)


def load() -> list[dict[str, Any]]:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else []


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--institutions", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench-whole"))
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    workbook = args.workdir / f"portfolio-{args.institutions}-{args.years}-{args.seed}"
    if not (workbook / "institutions.csv").exists():
        subprocess.run(
            [
                TRACKER,
                "sample",
                "generate",
                str(workbook),
                "--institutions",
                str(args.institutions),
                "--years",
                str(args.years),
                "--seed",
                str(args.seed),
            ],
            check=True,
            env=ENV,
        )
    records = load()
    for kind in args.databases.split(","):
        label = f"whole-{args.institutions}"
        database = fresh_database(
            kind, workdir=args.workdir, label=label, postgres_url=args.postgres_url
        )
        try:
            started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            info = machine(postgres_version(args.postgres_url) if kind == "postgres" else None)
            measured = measure(database, workbook, args.workdir, args.repeat)
        finally:
            drop_database(database)
        records = [
            r for r in records if (r["database"], r["institutions"]) != (kind, args.institutions)
        ]
        records.append(
            {
                "database": kind,
                "institutions": args.institutions,
                "started": started,
                "command": "python bench/whole_process.py " + " ".join(argv),
                "machine": info,
                "measured": measured,
            }
        )
        records.sort(key=lambda r: (r["database"], r["institutions"]))
        RESULTS.write_text(json.dumps(records, indent=2) + "\n")
    write_section(ROOT / "bench" / "results.md")
    print(f"Wrote {RESULTS} and bench/results.md")


if __name__ == "__main__":
    main(sys.argv[1:])
