"""A workbook uploaded through the dashboard: saved as the files the importer reads, and a
preview of what importing it would change (from a dry run: nothing is written)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.imports.importer import ImportReport
from tracker.writes.imports.plan import record_key
from tracker.writes.imports.values import text


def save_upload(files: Sequence[tuple[str, bytes]], folder: Path) -> Path:
    """Write uploaded files into `folder`; the workbook path: the one `.xlsx`, else the folder
    of `.csv` files. Refused when the files are neither."""
    names = [Path(name).name for name, _ in files]
    xlsx = [n for n in names if n.lower().endswith(".xlsx")]
    if not files or (xlsx and len(files) > 1):
        raise WorkbookRefused(
            [Problem("upload", None, None, "upload one .xlsx workbook, or its .csv files")]
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name, (_, content) in zip(names, files, strict=True):
        (folder / name).write_bytes(content)
    return folder / xlsx[0] if xlsx else folder


PREVIEW_COLUMNS = ["table", "record", "what", "change"]


def preview_changes(report: ImportReport, *, limit: int = 500) -> pd.DataFrame:
    """What an import would do, one row per corrected record (with old → new) and per new row
    (up to `limit` rows in all)."""
    rows: list[dict[str, str]] = []
    for name, plan in report.plans.items():
        for correction in plan.corrections:
            change = ", ".join(
                f"{c}: {text(old)} → {text(new)}" for c, (old, new) in correction.changes.items()
            )
            rows.append(
                {"table": name, "record": correction.record_key, "what": "correct",
                 "change": change}
            )
        for row in plan.new.head(limit).to_dict("records"):
            record = record_key(TABLE_MAP[name], row)
            rows.append({"table": name, "record": record, "what": "new", "change": ""})
    return pd.DataFrame(rows[:limit], columns=PREVIEW_COLUMNS)
