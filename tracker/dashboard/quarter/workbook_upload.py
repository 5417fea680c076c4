"""The upload on the "Log a quarter" page (and the first steps): a workbook, or another tool's
export with its mapping (`source_upload`); its problems or what it would change, then the
import, through the same write layer as `tracker import`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor, PermissionRefused
from tracker.dashboard.quarter import source_upload
from tracker.dashboard.quarter.quarter_page import attempt, key, message_slot
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.history.conflicts import ConflictRefused
from tracker.writes.imports.importer import import_workbook
from tracker.writes.imports.uploads import preview_changes, save_upload


def upload_panel(engine: Engine, actor: Actor, *, where: str = "upload") -> None:
    """Upload a workbook: see its problems or what it would change, then import it (or
    another tool's export with its mapping: `source_upload`). `where`: the place its success
    message waits for (the first steps' is shown by the page that replaces them)."""
    kind = st.selectbox("What to upload", source_upload.upload_kinds(), key=key("upload", "kind"))
    if kind != source_upload.WORKBOOK:
        source_upload.source_upload_panel(engine, actor, kind)
        return
    files = st.file_uploader(
        "A workbook: one .xlsx file, or the workbook's .csv files",
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=key("upload", "files"),
    )
    correct = st.checkbox("It corrects stored values", key=key("upload", "correct"))
    reason = st.text_input("Reason for the corrections", key=key("upload", "reason")) or None
    message_slot(where)
    if not files:
        return
    label = "upload of " + ", ".join(sorted(f.name for f in files))
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = save_upload([(f.name, f.getvalue()) for f in files], Path(folder) / "upload")
            report = import_workbook(
                engine,
                path,
                actor=actor,
                dry_run=True,
                correct=correct,
                reason=reason,
                source=label,
            )
        except (WorkbookRefused, PermissionRefused, ConflictRefused) as refused:
            show_refusal(refused, place="upload")
            return
        if not report.changed:
            st.info("The workbook matches what is stored: importing it would change nothing.")
            return
        st.markdown("**The workbook is valid.** Importing it would make these changes:")
        st.dataframe(preview_changes(report), hide_index=True, width="stretch")
        if report.warnings:
            st.warning(
                f"{len(report.warnings)} value(s) to check (they are imported all the same; "
                "add a note to a value if it is right):",
                icon=":material/help:",
            )
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Where": w.source if w.row is None else f"row {w.row}",
                            "Institution": w.institution,
                            "Quarter": w.period,
                            "What to check": w.message,
                        }
                        for w in report.warnings
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        if st.button("Import it", key=key("upload", "import"), type="primary"):
            attempt(
                lambda: import_workbook(
                    engine, path, actor=actor, correct=correct, reason=reason, source=label
                ),
                done=f"Workbook imported ({label}).",
                where=where,
                reset=["upload"],
                place="upload",
            )
