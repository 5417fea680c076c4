"""Page-level figures of the dashboard, as a person waits for them (#24, 10), beside the store's
read of the same data:

    python bench/pages.py            # the sample, in Debian's Chromium; bench/pages_results.json

1. **first screen**: the first visitor after `streamlit run dashboard.py` starts, from the
   address typed to the page finished (the libraries' import and the first analysis included);
2. **warm timeline**: the Persistence timeline of wigan-council opened again in a new tab
   (cached analysis), from the address typed to the page finished;
3. **a save on Log a quarter**: one indicator value typed and *Save indicator values* clicked,
   until the success message shows;
4. **store read**: reading what the local administrator may read (`readable_dataset`), in
   process, for scale.

Each page figure is the median of `--repeat` runs (the first screen: one per server start). A
script for people, not a timed test: the machine's load is recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.servers import running_dashboard  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_MS = 300_000
OUT = ROOT / "bench" / "pages_results.json"


def _sample_database(folder: Path) -> str:
    from tracker.access import local_operator
    from tracker.config import sample_data_path
    from tracker.db import make_engine
    from tracker.migrate import upgrade
    from tracker.writes.imports.importer import import_workbook

    url = f"sqlite:///{folder / 'sample.db'}"
    engine = make_engine(url)
    upgrade(engine)
    import_workbook(engine, sample_data_path(), actor=local_operator())
    engine.dispose()
    return url


def _finished(page: Any) -> None:
    page.wait_for_timeout(200)
    page.wait_for_selector(FINISHED, timeout=TIMEOUT_MS)


def _load(browser: Any, address: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    started = time.monotonic()
    page.goto(address, wait_until="domcontentloaded")
    _finished(page)
    taken = time.monotonic() - started
    context.close()
    return taken


def _save_seconds(browser: Any, base: str, value: float) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.goto(f"{base}/log-quarter?institution=wigan-council&period=2026Q3",
              wait_until="domcontentloaded")
    _finished(page)
    field = page.get_by_label("Staff turnover rate, 2026Q3", exact=True)
    field.fill(f"{value:g}")
    field.press("Tab")
    _finished(page)
    started = time.monotonic()
    page.get_by_role("button", name="Save indicator values").click()
    page.get_by_text("indicator value saved for 2026Q3").first.wait_for(timeout=TIMEOUT_MS)
    taken = time.monotonic() - started
    context.close()
    return taken


def _store_read_seconds(url: str) -> float:
    from tracker.access import local_operator
    from tracker.db import make_engine, read_session
    from tracker.scope import readable_dataset

    engine = make_engine(url)
    started = time.monotonic()
    with read_session(engine) as session:
        readable_dataset(session, local_operator())
    taken = time.monotonic() - started
    engine.dispose()
    return taken


RESULTS_MD = ROOT / "bench" / "results.md"
START, END = "<!-- pages:start -->", "<!-- pages:end -->"


def write_section(figures: dict[str, Any]) -> None:
    """The page-level figures as a section of bench/results.md (replacing the last run's)."""
    section = "\n".join([
        START, "",
        "## Dashboard pages as a person waits for them (`python bench/pages.py`)", "",
        f"The sample in Debian's Chromium; medians of {len(figures['runs']['first'])} runs. "
        f"**Measured on a shared machine** ({figures['cores']} cores, load average "
        f"{figures['load_1min']:.1f} at the end): slower and noisier than on an idle machine.",
        "",
        "| what | seconds |", "|---|---:|",
        f"| first screen after a start (landing page) | {figures['first_screen_s']} |",
        f"| warm Persistence timeline (wigan-council, new tab) | {figures['warm_timeline_s']} |",
        f"| a save on Log a quarter (one value, until the message) | "
        f"{figures['log_quarter_save_s']} |",
        f"| the store's read of the same data (`readable_dataset`, in process) | "
        f"{figures['store_read_s']} |",
        "", END,
    ])
    text = RESULTS_MD.read_text() if RESULTS_MD.is_file() else ""
    if START in text and END in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS_MD.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    figures: dict[str, Any] = {"load_1min": os.getloadavg()[0], "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        url = _sample_database(folder)
        shutil.copyfile(folder / "sample.db", folder / "pristine.db")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        first, warm, saves = [], [], []
        for run in range(args.repeat):
            shutil.copyfile(folder / "pristine.db", folder / "sample.db")
            with running_dashboard(url, folder) as base:
                first.append(_load(browser, base))
                timeline = f"{base}/timeline?institution=wigan-council"
                _load(browser, timeline)  # the first visit analyses; the next are warm
                warm.append(_load(browser, timeline))
                saves.append(_save_seconds(browser, base, 12.0 + run))
        browser.close()
        figures |= {
            "first_screen_s": round(statistics.median(first), 2),
            "warm_timeline_s": round(statistics.median(warm), 2),
            "log_quarter_save_s": round(statistics.median(saves), 2),
            "store_read_s": round(_store_read_seconds(url), 2),
            "runs": {"first": first, "warm": warm, "save": saves},
        }
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    write_section(figures)
    print(json.dumps({k: v for k, v in figures.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
