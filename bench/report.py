"""bench/results.md: the machine, the measurements beside their floors, ratios, growth, targets.

Every measurement is kept in bench/results.json (one record per database and size), so that a
run of one size (the national one is long) updates its rows and leaves the others as they were;
the Markdown is always rendered from all of them.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from bench.whole_process import load as load_whole_process
from bench.whole_process import section as whole_process_section

# The targets, on a 2-core machine.
IMPORT_FLOOR_RATIO = 5.0
ANALYSIS_FLOOR_RATIO = 3.0
NATIONAL = 25_000
NATIONAL_SECONDS = 120.0
NATIONAL_MEMORY_MIB = 4096.0
PAGE_INSTITUTIONS = 2_000
PAGE_SECONDS = 2.0
# Issue 11: the portfolio page after one institution's quarter was written, and once warm.
AFTER_WRITE_SECONDS = 3.0
AFTER_WRITE_SIZES = (2_000, NATIONAL)
NATIONAL_WARM_PAGE_SECONDS = 0.5
# Issue 11, whole processes (bench/whole_process.py): ratios to floors measured in one run.
JSON_EMPTY_STORE_RATIO = 3.0
JSON_WARM_STORE_RATIO = 1.5
TABLE_TO_JSON_RATIO = 1.5
HELP_TO_TYPER_RATIO = 2.0

Record = dict[str, Any]


def load_records(path: Path) -> list[Record]:
    if not path.is_file():
        return []
    return list(json.loads(path.read_text())["records"])


def merge_record(
    records: list[Record], record: Record, *, run: Record, measured: list[str] | None
) -> list[Record]:
    """`records` with `record` (one database and size, measured in `run`) in its place.

    `measured` None: the record replaces the earlier one of its database and size. Otherwise
    only those entries (steps) replace the earlier record's, whose other figures are kept;
    each replaced entry's run is kept in `step_runs`. A record of another seed, length or row
    count is never mixed with this one: it is replaced.
    """
    where = (record["database"], record["institutions"])
    others = [r for r in records if (r["database"], r["institutions"]) != where]
    earlier = next((r for r in records if (r["database"], r["institutions"]) == where), None)
    same_rows = earlier is not None and all(
        earlier.get(key) == record.get(key) for key in ("years", "seed", "rows")
    )
    if measured is None or earlier is None or not same_rows:
        return [*others, {**record, "run": run}]
    merged = dict(earlier)
    step_runs = dict(earlier.get("step_runs", {}))
    for entry in measured:
        if entry in record:
            merged[entry] = record[entry]
            step_runs[entry] = run
    merged["step_runs"] = step_runs
    return [*others, merged]


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


def _with_ratio(seconds: float | None, floor: float | None) -> str:
    ratio = _ratio(seconds, floor)
    return _s(seconds) if ratio is None else f"{_s(seconds)} ({_s(ratio)}×)"


def store_table(records: list[Record]) -> list[str]:
    """Issue 11's figures: the results store, its full refresh, the page after a write."""
    lines = [
        "| institutions | analyse json, empty store s (÷ read floor) | peak MiB "
        "| analyse json, warm store s (÷ read floor) | peak MiB | JSON MB "
        "| refresh --all s | peak MiB | refresh --all, whole process s | peak MiB "
        "| portfolio page s: cold / warm / after a write / warm again |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    shown = False
    for r in records:
        entries = ("store_cold", "store_warm", "refresh", "refresh_process")
        after = _get(r, "page", "after_write_seconds")
        if not any(r.get(entry) for entry in entries) and after is None:
            continue
        shown = True
        read = _get(r, "read_floor")
        page = "–" if after is None else " / ".join(
            _s(_get(r, "page", key))
            for key in ("cold_seconds", "seconds", "after_write_seconds", "warm_again_seconds")
        )
        json_bytes = _get(r, "store_warm", "json_bytes") or _get(r, "store_cold", "json_bytes")
        lines.append(
            f"| {r['institutions']:,} | {_with_ratio(_get(r, 'store_cold'), read)} | "
            f"{_mib(_get(r, 'store_cold', 'peak_mib'))} | "
            f"{_with_ratio(_get(r, 'store_warm'), read)} | "
            f"{_mib(_get(r, 'store_warm', 'peak_mib'))} | "
            f"{'–' if json_bytes is None else f'{json_bytes / 1e6:,.1f}'} | "
            f"{_s(_get(r, 'refresh'))} | {_mib(_get(r, 'refresh', 'peak_mib'))} | "
            f"{_s(_get(r, 'refresh_process'))} | "
            f"{_mib(_get(r, 'refresh_process', 'peak_mib'))} | {page} |"
        )
    return lines if shown else []


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
        if r["institutions"] >= NATIONAL:
            for step, label in (
                ("store_cold", "`tracker analyse --format json` from an empty results store"),
                ("store_warm", "`tracker analyse --format json` from a warm results store"),
                ("refresh", "`tracker results refresh --all`"),
                ("refresh_process", "`tracker results refresh --all` as a whole process"),
            ):
                seconds, peak = _get(r, step), _get(r, step, "peak_mib")
                if seconds is not None and peak is not None:
                    check(seconds < NATIONAL_SECONDS and peak < NATIONAL_MEMORY_MIB,
                          f"{where}: {label} in {seconds:.0f} s with a peak of {peak:,.0f} MiB "
                          f"(target < {NATIONAL_SECONDS:.0f} s, < {NATIONAL_MEMORY_MIB:,.0f} MiB)")
        after = _get(r, "page", "after_write_seconds")
        if r["institutions"] in AFTER_WRITE_SIZES and after is not None:
            check(after <= AFTER_WRITE_SECONDS,
                  f"{where}: the portfolio page renders in {after:.2f} s after one "
                  f"institution's quarter was written (target ≤ {AFTER_WRITE_SECONDS:g} s "
                  f"at {NATIONAL:,})")
        if r["institutions"] >= NATIONAL and after is not None:
            for key, label in (("seconds", "once warm"),
                               ("warm_again_seconds", "warm again after the write")):
                warm = _get(r, "page", key)
                if warm is not None:
                    check(warm <= NATIONAL_WARM_PAGE_SECONDS,
                          f"{where}: the portfolio page renders in {warm:.2f} s {label} "
                          f"(target ≤ {NATIONAL_WARM_PAGE_SECONDS:g} s)")
    return lines


def whole_process_targets(records: list[Record]) -> list[str]:
    """Issue 11's ratio targets, from bench/whole_process.py's records."""
    lines = []
    for r in records:
        m = r["measured"]
        where = f"{r['database']}, {r['institutions']:,} institutions, whole process"
        floor, warm = m["read_floor"]["seconds"], m["json_warm"]["seconds"]
        for ratio, target, text in (
            (m["json_cold"]["seconds"] / floor, JSON_EMPTY_STORE_RATIO,
             "`tracker analyse --format json` from an empty store {:.2f}× the read floor"),
            (warm / floor, JSON_WARM_STORE_RATIO,
             "`tracker analyse --format json` with a warm store {:.2f}× the read floor"),
            (m["table_warm"]["seconds"] / warm, TABLE_TO_JSON_RATIO,
             "`tracker analyse --format table` {:.2f}× the JSON run"),
            (m["help"]["seconds"] / m["typer_start"]["seconds"], HELP_TO_TYPER_RATIO,
             "`tracker --help` {:.2f}× the start of `python -c \"import typer, rich\"`"),
        ):
            mark = "✅" if ratio <= target else "❌"
            lines.append(f"- {mark} {where}: {text.format(ratio)} (target ≤ {target:g}×)")
    return lines


def render(records: list[Record]) -> str:
    runs: dict[str, Record] = {}
    partial: dict[str, list[str]] = {}  # run → what it measured, for runs of some steps only
    for r in records:
        runs.setdefault(r["run"]["started"], r["run"])
        for entry, run in r.get("step_runs", {}).items():
            runs.setdefault(run["started"], run)
            partial.setdefault(run["started"], []).append(
                f"{r['database']} {r['institutions']:,} {entry}"
            )
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
        "*Results store* (issue 11), in each database's second table: `tracker analyse "
        "--format json` run in the step's process (the command's own work, without Python's "
        "start) from the empty store the import left (every institution computed and stored), "
        "then again from the warm store, beside the read floor; `tracker results refresh "
        "--all` (every result recomputed, in batches) in the step's process, then again as a "
        "whole process timed from outside (`bench/whole_process.py` times the other commands "
        "as whole processes). The portfolio page is then rendered in one AppTest process "
        "beside the warm store: cold, warm, *after a write* (one institution's next quarter "
        "written as the dashboard's \"Log a quarter\" saves it, `tracker.writes.imports.rows."
        "write_rows`, which marks that institution's results stale and adds audit entries, "
        "so the data version changes), and warm again.",
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
        stored = store_table(rows)
        if stored:
            out += ["Results store (issue 11):", "", *stored, ""]
    whole = load_whole_process()
    out += ["## Targets", "", *target_lines(records), *whole_process_targets(whole), ""]
    out += whole_process_section(whole)
    out += ["## Runs and machines", ""]
    for started, run in sorted(runs.items()):
        out += [f"### Run started {started}", "", f"Command: `{run['command']}`", ""]
        out += [f"- {key}: {value}" for key, value in run["machine"].items()]
        if started in partial:
            out.append(f"- measured in this run (the rest of those rows in earlier runs): "
                       f"{', '.join(partial[started])}")
        out.append("")
    return "\n".join(out)
