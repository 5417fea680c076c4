"""bench/results.md: the machine, the measurements beside their floors, ratios, growth, targets.

Every measurement is kept in bench/results.json (one record per database and size), so that a
run of one size (the national one is long) updates its rows and leaves the others as they were;
the Markdown is always rendered from all of them.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

# The targets, on a 2-core machine.
IMPORT_FLOOR_RATIO = 5.0
ANALYSIS_FLOOR_RATIO = 3.0
NATIONAL = 25_000
NATIONAL_SECONDS = 120.0
NATIONAL_MEMORY_MIB = 4096.0
PAGE_INSTITUTIONS = 2_000
PAGE_SECONDS = 2.0

Record = dict[str, Any]


def _first_line(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
        return done.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine(postgres: str | None) -> dict[str, str]:
    """What the numbers were measured on."""
    import numpy
    import pandas
    import sqlalchemy

    memory_kib = _first_line("/proc/meminfo", "MemTotal").split()[0]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain") else ""
    return {
        "nproc": str(cores),
        "cpu": _first_line("/proc/cpuinfo", "model name"),
        "memory": f"{int(memory_kib) / 1024 / 1024:.1f} GiB" if memory_kib.isdigit() else "?",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres or "not measured",
        "libraries": f"pandas {pandas.__version__}, numpy {numpy.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}",
        "commit": (_git("rev-parse", "--short", "HEAD") or "unknown") + dirty,
    }


def load_records(path: Path) -> list[Record]:
    if not path.is_file():
        return []
    return list(json.loads(path.read_text())["records"])


def save_records(path: Path, records: list[Record]) -> None:
    ordered = sorted(records, key=lambda r: (r["database"], r["institutions"]))
    path.write_text(json.dumps({"records": ordered}, indent=1) + "\n")


def _s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _mib(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _get(record: Record, step: str, key: str = "seconds") -> float | None:
    found = record.get(step) or {}
    value = found.get(key)
    return None if value is None else float(value)


def measurement_table(records: list[Record]) -> list[str]:
    lines = [
        "| institutions | rows | import s | rows/s | write floor s | import ÷ floor "
        "| analysis s (load + analyse) | read floor s | analysis ÷ floor | JSON s "
        "| peak MiB import / analysis (with JSON) | portfolio page s warm (cold) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in records:
        imported, floor = _get(r, "import"), _get(r, "write_floor")
        analysed, read = _get(r, "analyse"), _get(r, "read_floor")
        rate = None if not imported else r["rows"] / imported
        page = _get(r, "page")
        page_text = "–" if page is None else f"{_s(page)} ({_s(_get(r, 'page', 'cold_seconds'))})"
        load, pure = _get(r, "analyse", "load_seconds"), _get(r, "analyse", "analyse_seconds")
        lines.append(
            f"| {r['institutions']:,} | {r['rows']:,} | {_s(imported)} | "
            f"{'–' if rate is None else f'{rate:,.0f}'} | {_s(floor)} | "
            f"{_s(_ratio(imported, floor))}× | {_s(analysed)} ({_s(load)} + {_s(pure)}) | "
            f"{_s(read)} | {_s(_ratio(analysed, read))}× | "
            f"{_s(_get(r, 'analyse', 'json_seconds'))} | "
            f"{_mib(_get(r, 'import', 'peak_mib'))} / "
            f"{_mib(_get(r, 'analyse', 'analysis_peak_mib'))} "
            f"({_mib(_get(r, 'analyse', 'peak_mib'))}) | "
            f"{page_text} |"
        )
    return lines


def growth_table(records: list[Record]) -> list[str]:
    """Per step, time per row at one size over time per row at the size before (1.00 = linear)."""
    lines = [
        "| from → to | rows × | import per row × | write floor per row × | analysis per row × "
        "| read floor per row × |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for before, after in itertools.pairwise(records):
        rows = after["rows"] / before["rows"]
        cells = []
        for step in ("import", "write_floor", "analyse", "read_floor"):
            ratio = _ratio(_get(after, step), _get(before, step))
            cells.append("–" if ratio is None else f"{ratio / rows:.2f}")
        lines.append(
            f"| {before['institutions']:,} → {after['institutions']:,} | {rows:.1f} | "
            + " | ".join(cells) + " |"
        )
    return lines


def target_lines(records: list[Record]) -> list[str]:
    lines = []

    def check(ok: bool, text: str) -> None:
        lines.append(f"- {'✅' if ok else '❌'} {text}")

    for r in records:
        where = f"{r['database']}, {r['institutions']:,} institutions"
        ratio = _ratio(_get(r, "import"), _get(r, "write_floor"))
        if ratio is not None:
            check(ratio <= IMPORT_FLOOR_RATIO,
                  f"{where}: import {ratio:.2f}× the write floor "
                  f"(target ≤ {IMPORT_FLOOR_RATIO:g}×)")
        ratio = _ratio(_get(r, "analyse"), _get(r, "read_floor"))
        if ratio is not None:
            check(ratio <= ANALYSIS_FLOOR_RATIO,
                  f"{where}: analysis {ratio:.2f}× the read floor "
                  f"(target ≤ {ANALYSIS_FLOOR_RATIO:g}×)")
        if r["institutions"] >= NATIONAL:
            for step, label, memory in (
                ("import", "imported", "peak_mib"),
                ("analyse", "analysed", "analysis_peak_mib"),
            ):
                seconds, peak = _get(r, step), _get(r, step, memory)
                if seconds is not None and peak is not None:
                    check(seconds < NATIONAL_SECONDS and peak < NATIONAL_MEMORY_MIB,
                          f"{where}: {label} in {seconds:.0f} s with a peak of {peak:,.0f} MiB "
                          f"(target < {NATIONAL_SECONDS:.0f} s, < {NATIONAL_MEMORY_MIB:,.0f} MiB)")
        page = _get(r, "page")
        if r["institutions"] == PAGE_INSTITUTIONS and page is not None:
            check(page < PAGE_SECONDS,
                  f"{where}: the portfolio page renders in {page:.2f} s once warm "
                  f"(target < {PAGE_SECONDS:g} s)")
    return lines


def render(records: list[Record]) -> str:
    runs: dict[str, Record] = {}
    for r in records:
        runs.setdefault(r["run"]["started"], r["run"])
    out = [
        "# Benchmarks at national scale",
        "",
        "Written by `bench/run.py` (`make bench`); do not edit by hand. Each row: a synthetic "
        "portfolio from `tracker sample generate` (10 years of quarters unless noted), imported "
        "into a fresh database with the product's migrations, then analysed. Each step runs in "
        "a child process of its own; its peak memory is the child's maximum resident set size. "
        "Beside each product step, its floor, measured in the same run on the same rows:",
        "",
        "- **write floor**: the rows the import stored, inserted into an empty copy of the "
        "schema with the bare DB-API (`sqlite3`/`psycopg`) `executemany`, in one transaction "
        "(on PostgreSQL the import itself loads rows with `COPY`, PostgreSQL's bulk path, "
        "which is why it can come in under this floor);",
        "- **read floor**: `pandas.read_sql` of every table the analysis reads, all columns.",
        "",
        "*Analysis* is what `tracker analyse` does before printing: read what the user may read "
        "(`scope.readable_dataset`) and `analysis.run.analyse`; its peak memory is taken before "
        "the result is turned into JSON, which is shown apart (time, and in brackets the peak "
        "with it). The portfolio page is Streamlit's AppTest of the Portfolio page showing "
        "every institution; *warm* is its second run.",
        "",
    ]
    for database in ("sqlite", "postgres"):
        rows = [r for r in records if r["database"] == database]
        if not rows:
            continue
        title = "SQLite (embedded file)" if database == "sqlite" else "PostgreSQL"
        out += [f"## {title}", "", *measurement_table(rows), "",
                "Growth from one size to the next (time per row, relative; 1.00 is linear):", "",
                *growth_table(rows), ""]
    out += ["## Targets", "", *target_lines(records), ""]
    from bench.whole_process import load as load_whole_process
    from bench.whole_process import section as whole_process_section

    out += whole_process_section(load_whole_process())
    out += ["## Runs and machines", ""]
    for started, run in sorted(runs.items()):
        out += [f"### Run started {started}", "", f"Command: `{run['command']}`", ""]
        out += [f"- {key}: {value}" for key, value in run["machine"].items()]
        out.append("")
    return "\n".join(out)
