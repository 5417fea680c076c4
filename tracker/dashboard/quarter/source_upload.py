"""The upload of another tool's export (KoboToolbox, ODK Central, DHIS2, ADX, 360Giving) with its
mapping, beside the workbook upload: the same preview (a dry run: what it would change, what it
skips, the values to check), then the import, through `tracker.sources.importing` as
`tracker import --from` does."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor, PermissionRefused
from tracker.dashboard.quarter.quarter_page import attempt, key, message_slot
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.sources.importing import SourceImport, import_from_source
from tracker.sources.registry import SOURCES
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.history.conflicts import ConflictRefused
from tracker.writes.imports.uploads import preview_changes

WORKBOOK = "A tracker workbook"


def upload_kinds() -> list[str]:
    """What the upload may be: the workbook, or an export of each available source."""
    return [WORKBOOK, *(f"{s.tool} export" for s in SOURCES.values() if s.available)]


def source_of(kind: str) -> str:
    return next(s.name for s in SOURCES.values() if f"{s.tool} export" == kind)


def _skipped(done: SourceImport) -> None:
    skipped = +done.skipped  # without the reasons that skipped nothing
    if skipped:
        detail = ", ".join(f"{n} {why}" for why, n in sorted(skipped.items()))
        st.caption(f"Skipped, as the mapping says: {detail}.")


def source_upload_panel(engine: Engine, actor: Actor, kind: str) -> None:
    """Upload an export and its mapping: see its problems or what it would change, import it."""
    name = source_of(kind)
    found = SOURCES[name]
    export = st.file_uploader(f"The {found.tool} export ({found.reads})",
                              key=key("source", f"export-{name}"))
    mapping = st.file_uploader("Its mapping (a .toml file: docs/administrator.md, \"Sources\")",
                               type=["toml"], key=key("source", f"mapping-{name}"))
    message_slot("source")
    if export is None or mapping is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        export_path = Path(folder) / Path(export.name).name
        mapping_path = Path(folder) / Path(mapping.name).name
        export_path.write_bytes(export.getvalue())
        mapping_path.write_bytes(mapping.getvalue())

        def run(dry_run: bool) -> SourceImport:
            return import_from_source(engine, export_path, source_name=name,
                                      mapping_path=mapping_path, actor=actor, dry_run=dry_run)

        try:
            done = run(True)
        except (WorkbookRefused, PermissionRefused, ConflictRefused) as refused:
            show_refusal(refused, place="upload")
            return
        _skipped(done)
        if not done.report.changed:
            st.info("The export matches what is stored: importing it would change nothing.")
            return
        st.markdown("**The export is valid.** Importing it would make these changes:")
        st.dataframe(preview_changes(done.report), hide_index=True, width="stretch")
        if done.report.warnings:
            st.warning(f"{len(done.report.warnings)} value(s) to check (they are imported all "
                       "the same):", icon=":material/help:")
            st.dataframe(pd.DataFrame([{"Where": w.source, "Institution": w.institution,
                                        "Quarter": w.period, "What to check": w.message}
                                       for w in done.report.warnings]),
                         hide_index=True, width="stretch")
        if st.button("Import it", key=key("source", "import"), type="primary"):
            attempt(lambda: run(False), done=f"{found.tool} export imported ({export.name}).",
                    where="source", reset=["source"], place="upload")
