"""QCA at national scale: the truth table and all three solutions for 8 conditions over 25,000
cases (target: under 2 s), fuzzy memberships.

    python bench/qca.py                      # 25,000 cases, 8 conditions, best of 5
    python bench/qca.py --cases 2000 --conditions 10
    python bench/qca.py --page               # also the Portfolio page at 2,000 institutions

The cases are generated (seeded): each condition a fuzzy membership within 0.1 of 0 or 1, the
outcome the membership in ``C0*C1 + ~C2*C3`` with noise of ±0.1; no case has the last three
conditions all present, so the truth table has positive and negative rows and remainders.
Timed in-process, after one warm-up run: building the truth table (every observed
configuration's consistency over every case), then the conservative, parsimonious and
intermediate solutions with their parameters of fit. Then the portfolio page's Configurations
answer for 2,000 institutions (target under 1 s). Figures go to bench/qca_results.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `tracker` importable
    sys.path.insert(0, str(ROOT))

from tracker.analysis.qca.configurations import analyse_configurations  # noqa: E402
from tracker.analysis.qca.solutions import SOLUTION_KINDS  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "qca_results.json"


def cases(n: int, k: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    crisp = rng.integers(0, 2, size=(n, k))
    if k >= 3:
        # limited diversity: no case has the last three conditions all present (remainders)
        crisp[:, -1] &= ~(crisp[:, -2] & crisp[:, -3])
    fuzz = rng.uniform(0.0, 0.1, size=(n, k))
    x = np.where(crisp == 1, 1.0 - fuzz, fuzz)
    names = [f"C{j}" for j in range(k)]
    frame = pd.DataFrame(x, columns=names, index=[f"case{i}" for i in range(n)])
    planted = np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(1 - x[:, 2], x[:, 3]))
    noise = rng.uniform(-0.1, 0.1, size=n)
    frame["Y"] = np.clip(planted + noise, 0.0, 1.0)
    return frame


def run_once(frame: pd.DataFrame, names: list[str]) -> dict[str, float]:
    timings = {}
    started = time.perf_counter()
    for kind in SOLUTION_KINDS:
        begun = time.perf_counter()
        analyse_configurations(
            frame,
            outcome="Y",
            conditions=names,
            incl_cut=(0.8, 0.8),
            solution=kind,
            expectations=dict.fromkeys(names, 1),
        )
        timings[kind] = time.perf_counter() - begun
    timings["all three"] = time.perf_counter() - started
    return timings


def whole_run(frame: pd.DataFrame, names: list[str]) -> float:
    """Truth table once, then the three solutions from it (as the page and CLI can do)."""
    from tracker.analysis.qca.configurations import model_result
    from tracker.analysis.qca.solutions import conservative, intermediate, parsimonious
    from tracker.analysis.qca.truth_table import build_truth_table

    started = time.perf_counter()
    x = frame[names].to_numpy(dtype=float)
    y = frame["Y"].to_numpy(dtype=float)
    table = build_truth_table(
        x, y, cases=list(frame.index), conditions=tuple(names), outcome="Y", incl_cut=(0.8, 0.8)
    )
    c_sol = conservative(table)
    p_sol = parsimonious(table)
    i_sol = intermediate(
        table, [1] * len(names), conservative_solution=c_sol, parsimonious_solution=p_sol
    )
    for solution in (c_sol, p_sol, i_sol):
        for model in solution.models:
            model_result(x, y, table, model)
    return time.perf_counter() - started


def portfolio_section(institutions: int, repeat: int) -> dict[str, object]:
    """The portfolio page's Configurations answer (default question, both solutions) for a
    portfolio of `institutions`: the sample's ten institutions' summary rows repeated (each
    renamed), so every configuration has many institutions; best of `repeat`, after a warm-up."""
    from dataclasses import replace

    from tracker.analysis.portfolio import portfolio_summary
    from tracker.analysis.qca.portfolio_configurations import portfolio_configurations
    from tracker.analysis.run import analyse
    from tracker.workbook.read import read_workbook
    from tracker.workbook.validate import validate_workbook

    dataset, _ = validate_workbook(read_workbook(ROOT / "sample_data"))
    sample = portfolio_summary(dataset, analyse(dataset))
    copies = -(-institutions // len(sample.institutions))
    rows = pd.concat([sample.institutions] * copies, ignore_index=True).iloc[:institutions]
    rows = rows.assign(
        institution=[f"i{i}" for i in range(len(rows))],
        name=[f"Institution {i}" for i in range(len(rows))],
    )
    summary = replace(sample, institutions=rows)
    timings = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        for solution in ("conservative", "parsimonious"):
            portfolio_configurations(summary, solution=solution)
        timings.append(time.perf_counter() - started)
    return {"institutions": institutions, "both_solutions_best_s": round(min(timings[1:]), 3)}


def portfolio_page(institutions: int, repeat: int) -> dict[str, object]:
    """The Portfolio page under Streamlit's AppTest on a generated portfolio (2 years of
    quarters) imported into SQLite: warm runs of the whole page, and within them the time of
    the Configurations section alone (its function wrapped with a timer)."""
    import os
    import tempfile

    from streamlit.testing.v1 import AppTest

    import tracker.dashboard.portfolio.configurations_view as view
    from tracker.access import local_operator
    from tracker.config import PROJECT_ROOT
    from tracker.dashboard.navigation import page_spec
    from tracker.db import make_engine
    from tracker.generate import write_sample
    from tracker.migrate import upgrade
    from tracker.writes.imports.importer import import_workbook

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'portfolio.db'}"
        write_sample(Path(folder) / "workbook", institutions=institutions, years=2, seed=5)
        engine = make_engine(url)
        upgrade(engine)
        import_workbook(engine, Path(folder) / "workbook", actor=local_operator())
        engine.dispose()
        os.environ["TRACKER_DATABASE_URL"] = url
        page = str(page_spec("portfolio").path.relative_to(PROJECT_ROOT))
        app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=1800)
        app.run()
        app.switch_page(page).run()  # cold: analyses and stores every institution
        section: list[float] = []
        original = view.show_configurations

        def timed(summary: object) -> None:
            started = time.perf_counter()
            original(summary)  # type: ignore[arg-type]
            section.append(time.perf_counter() - started)

        view.show_configurations = timed  # type: ignore[assignment]
        pages = []
        for _ in range(repeat):
            started = time.perf_counter()
            app.run()
            pages.append(time.perf_counter() - started)
        view.show_configurations = original  # type: ignore[assignment]
        if app.exception:
            raise RuntimeError(f"the page failed: {app.exception[0].value}")
    return {
        "institutions": institutions,
        "page_warm_best_s": round(min(pages), 3),
        "configurations_section_warm_best_s": round(min(section), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=25_000)
    parser.add_argument("--conditions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--page", action="store_true",
        help="also time the Portfolio page (AppTest) at 2,000 generated institutions",
    )
    options = parser.parse_args()
    frame = cases(options.cases, options.conditions, options.seed)
    names = [f"C{j}" for j in range(options.conditions)]
    whole_run(frame, names)  # warm-up: imports, first allocation
    wholes = [whole_run(frame, names) for _ in range(options.repeat)]
    separate = [run_once(frame, names) for _ in range(options.repeat)]
    result = analyse_configurations(
        frame, outcome="Y", conditions=names, incl_cut=(0.8, 0.8), solution="parsimonious"
    )
    figures = {
        "cases": options.cases,
        "conditions": options.conditions,
        "observed_rows": len(result.table.rows),
        "parsimonious": [m.expression for m in result.models],
        "truth_table_and_three_solutions_s": {
            "best": round(min(wholes), 3),
            "median": round(float(np.median(wholes)), 3),
        },
        "each_solution_from_the_case_table_s": {
            kind: round(min(t[kind] for t in separate), 3) for kind in separate[0]
        },
        "target_s": 2.0,
        "portfolio_section": portfolio_section(2000, options.repeat),
        "portfolio_section_target_s": 1.0,
    }
    if options.page:
        figures["portfolio_page"] = portfolio_page(2000, options.repeat)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
