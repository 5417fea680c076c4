"""bench/report.py: a run of some steps keeps the other figures; issue 11's figures and targets
are rendered beside the others (no database, no timing: the report's own logic)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `bench` is a folder of scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.report import merge_record, render  # noqa: E402


def _run(started: str) -> dict[str, Any]:
    return {"started": started, "command": f"python bench/run.py  # {started}",
            "machine": {"nproc": "2"}}


def _record(institutions: int, **steps: dict[str, Any]) -> dict[str, Any]:
    return {"database": "sqlite", "institutions": institutions, "years": 10, "seed": 2025,
            "rows": institutions * 427, "generate": {"seconds": 1.0}, **steps}


FULL = dict(
    import_={"seconds": 60.0, "peak_mib": 2000.0},
    write_floor={"seconds": 40.0},
    read_floor={"seconds": 40.0},
    analyse={"seconds": 40.0, "load_seconds": 20.0, "analyse_seconds": 20.0,
             "json_seconds": 50.0, "analysis_peak_mib": 3000.0, "peak_mib": 6000.0},
    page={"seconds": 0.1, "cold_seconds": 50.0},
)


def _full(institutions: int) -> dict[str, Any]:
    steps = {key.rstrip("_"): value for key, value in FULL.items()}
    return _record(institutions, **steps)


def test_a_run_of_some_steps_keeps_the_other_figures_of_its_rows() -> None:
    first = _run("2026-11-28T17:17:43")
    records = merge_record([], _full(25_000), run=first, measured=None)
    records = merge_record(records, _full(2_000), run=first, measured=None)
    later = _run("2026-12-02T09:00:00")
    partial = _record(
        25_000,
        **{"import": {"seconds": 99.0}, "store_cold": {"seconds": 80.0, "peak_mib": 3000.0}},
    )
    records = merge_record(records, partial, run=later, measured=["store_cold", "store_warm"])
    assert len(records) == 2
    national = next(r for r in records if r["institutions"] == 25_000)
    assert national["import"] == {"seconds": 60.0, "peak_mib": 2000.0}  # only set up: kept
    assert national["analyse"]["seconds"] == 40.0
    assert national["store_cold"]["seconds"] == 80.0
    assert national["run"] == first
    assert national["step_runs"] == {"store_cold": later}  # store_warm was not measured

    # A whole run replaces the row; so does a run of other rows (another seed).
    again = merge_record(records, _full(25_000), run=later, measured=None)
    assert "store_cold" not in next(r for r in again if r["institutions"] == 25_000)
    reseeded = {**partial, "seed": 7}
    again = merge_record(records, reseeded, run=later, measured=["store_cold"])
    replaced = next(r for r in again if r["institutions"] == 25_000)
    assert "analyse" not in replaced and replaced["run"] == later


def test_issue_11_figures_are_rendered_beside_their_targets() -> None:
    run = _run("2026-11-28T17:17:43")
    national = _full(25_000)
    national["store_cold"] = {"seconds": 130.0, "peak_mib": 3000.0, "json_bytes": 1.2e9}
    national["store_warm"] = {"seconds": 20.0, "peak_mib": 500.0, "json_bytes": 1.2e9}
    national["refresh"] = {"seconds": 100.0, "peak_mib": 3500.0}
    national["refresh_process"] = {"seconds": 104.0, "peak_mib": 3600.0}
    national["page"].update(after_write_seconds=2.5, warm_again_seconds=0.7)
    records = merge_record([], national, run=run, measured=None)
    later = _run("2026-12-02T09:00:00")
    records = merge_record(records, _full(2_000), run=run, measured=None)
    records = merge_record(
        records, _record(2_000, page={"seconds": 0.1, "cold_seconds": 6.0,
                                      "after_write_seconds": 5.0, "warm_again_seconds": 0.1}),
        run=later, measured=["page"],
    )
    text = render(records)
    assert "| 25,000 | 130.0 (3.25×) | 3,000 | 20.0 (0.50×) | 500 | 1,200.0 | 100.0 | 3,500 " \
        "| 104.0 | 3,600 | 50.0 / 0.10 / 2.50 / 0.70 |" in text
    assert "| 2,000 | – | – | – | – | – | – | – | – | – | 6.00 / 0.10 / 5.00 / 0.10 |" in text
    lines = set(text.splitlines())
    for line in [
        "- ❌ sqlite, 25,000 institutions: `tracker analyse --format json` from an empty results "
        "store in 130 s with a peak of 3,000 MiB (target < 120 s, < 4,096 MiB)",
        "- ✅ sqlite, 25,000 institutions: `tracker results refresh --all` in 100 s with a peak "
        "of 3,500 MiB (target < 120 s, < 4,096 MiB)",
        "- ✅ sqlite, 25,000 institutions: `tracker results refresh --all` as a whole process "
        "in 104 s with a peak of 3,600 MiB (target < 120 s, < 4,096 MiB)",
        "- ✅ sqlite, 25,000 institutions: the portfolio page renders in 2.50 s after one "
        "institution's quarter was written (target ≤ 3 s at 25,000)",
        "- ❌ sqlite, 2,000 institutions: the portfolio page renders in 5.00 s after one "
        "institution's quarter was written (target ≤ 3 s at 25,000)",
        "- ✅ sqlite, 25,000 institutions: the portfolio page renders in 0.10 s once warm "
        "(target ≤ 0.5 s)",
        "- ❌ sqlite, 25,000 institutions: the portfolio page renders in 0.70 s warm again "
        "after the write (target ≤ 0.5 s)",
        "- measured in this run (the rest of those rows in earlier runs): sqlite 2,000 page",
    ]:
        assert line in lines, line
