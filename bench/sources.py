"""A KoboToolbox export of 100,000 submissions imported through its mapping, beside the workbook
import of the same values (target: the source import within 2x the workbook import).

    python bench/sources.py                        # 100,000 submissions, SQLite
    python bench/sources.py --submissions 10000

Generated (seeded): 2,500 institutions x 40 quarters, one submission per institution and
quarter, each with five indicator values and a narrative, in a Kobo CSV export (`;`, groups
joined by "/", an HXL row, the meta columns); the workbook holds the very same rows as
indicator_values.csv and observations.csv. Each import runs in-process into its own fresh
database that already holds the institutions and indicators (the same for both), timed from
reading the files to the commit. Figures go to bench/sources_results.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `tracker` importable
    sys.path.insert(0, str(ROOT))

from tracker.access import local_operator  # noqa: E402
from tracker.db import make_engine  # noqa: E402
from tracker.migrate import upgrade  # noqa: E402
from tracker.sources.importing import import_from_source  # noqa: E402
from tracker.writes.imports.importer import import_workbook  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "sources_results.json"
INDICATORS = ("staff_turnover", "staff_morale", "community_trust", "community_input_share",
              "reflective_practice")
QUARTERS = [f"{year}Q{q}" for year in range(2016, 2026) for q in range(1, 5)]


def write_inputs(folder: Path, submissions: int, seed: int) -> tuple[Path, Path, Path, Path]:
    """The shared setup workbook, the value workbook, the Kobo export and its mapping."""
    rng = np.random.default_rng(seed)
    count = -(-submissions // len(QUARTERS))
    setup, values = folder / "setup", folder / "values"
    setup.mkdir()
    values.mkdir()
    keys = [f"inst-{n:05d}" for n in range(count)]
    with (setup / "institutions.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["key", "name", "kind"])
        w.writerows([k, f"Institution {k}", "school"] for k in keys)
    with (setup / "indicators.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["key", "name", "unit", "higher_is_better"])
        w.writerows([k, k, "%", "true"] for k in INDICATORS)
    pairs = [(k, q) for k in keys for q in QUARTERS][:submissions]
    numbers = np.round(rng.uniform(5, 95, size=(len(pairs), len(INDICATORS))), 1)
    export = folder / "kobo.csv"
    header = ["start", "site/institution", "site/quarter",
              *[f"indicators/{i}" for i in INDICATORS], "narrative/summary",
              "_id", "_uuid", "_submission_time", "_validation_status", "__version__", "_index"]
    with export.open("w", newline="") as kf, \
            (values / "indicator_values.csv").open("w", newline="") as vf, \
            (values / "observations.csv").open("w", newline="") as of:
        kobo, value_rows, observations = csv.writer(kf, delimiter=";"), csv.writer(vf), \
            csv.writer(of)
        kobo.writerow(header)
        kobo.writerow(["#date+start", "#org+code", "#date", *["#indicator"] * len(INDICATORS),
                       "#description", "", "", "", "", "", ""])
        value_rows.writerow(["institution", "indicator", "period", "value", "source"])
        observations.writerow(["institution", "period", "narrative"])
        for n, ((key, quarter), row) in enumerate(zip(pairs, numbers, strict=True)):
            text = [f"{v:.1f}" for v in row]
            narrative = f"Quarter {quarter} at {key}: the work continued."
            kobo.writerow(["2026-10-06T09:12:44.000+01:00", key, quarter, *text, narrative,
                           str(n + 1), str(uuid.UUID(int=int(rng.integers(2**62)))),
                           "2026-10-06T08:31:09", "Approved", "v1", str(n + 1)])
            value_rows.writerows(
                [key, i, quarter, v, "KoboToolbox"] for i, v in zip(INDICATORS, text, strict=True))
            observations.writerow([key, quarter, narrative])
    mapping = folder / "mapping.toml"
    mapping.write_text("\n".join([
        'source = "kobo"', 'label = "KoboToolbox"', "[institution]",
        'field = "site/institution"', "[period]", 'field = "site/quarter"', "[indicators]",
        *[f'"indicators/{i}" = {{ indicator = "{i}", unit = "%" }}' for i in INDICATORS],
        "[observations]", 'narrative = ["narrative/summary"]', ""]))
    return setup, values, export, mapping


def fresh_database(base: Path, folder: Path, name: str) -> str:
    copy = folder / f"{name}.db"
    shutil.copyfile(base, copy)
    return f"sqlite:///{copy}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    actor = local_operator()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        setup, values, export, mapping = write_inputs(folder, args.submissions, args.seed)
        base = folder / "base.db"
        engine = make_engine(f"sqlite:///{base}")
        upgrade(engine)
        import_workbook(engine, setup, actor=actor)
        engine.dispose()
        timings = {}
        for name in ("workbook", "kobo"):
            engine = make_engine(fresh_database(base, folder, name))
            started = time.perf_counter()
            if name == "workbook":
                report = import_workbook(engine, values, actor=actor)
                written = sum(c["new"] for c in report.counts().values())
            else:
                done = import_from_source(engine, export, source_name="kobo",
                                          mapping_path=mapping, actor=actor)
                written = sum(c["new"] for c in done.report.counts().values())
            timings[name] = {"seconds": round(time.perf_counter() - started, 2),
                             "rows": written}
            engine.dispose()
    ratio = timings["kobo"]["seconds"] / timings["workbook"]["seconds"]
    result = {"submissions": args.submissions, "database": "sqlite", **timings,
              "kobo_over_workbook": round(ratio, 2), "target": "<= 2.0"}
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
