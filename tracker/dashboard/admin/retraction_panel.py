"""Administrator › Database and audit log: retract a stored row (with a reason), or restore a
retracted one. A thin form over `tracker.writes.history.retraction.retract_records`, the write layer
behind `tracker import PATH --retract/--restore` too: same permission checks, a new version of
the row with who, when and why, the old one kept in history, one audit entry. Nothing is
deleted; a refusal is a message on the page."""

from __future__ import annotations

import streamlit as st

from tracker.access import PermissionRefused
from tracker.dashboard.loaders import cached_rows_with_retracted
from tracker.dashboard.page_data import PageData
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.dashboard.text import plain
from tracker.db import get_engine
from tracker.workbook.problems import WorkbookRefused
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.history.conflicts import ConflictRefused
from tracker.writes.history.retraction import RETRACTABLE_TABLES, retract_records
from tracker.writes.imports.plan import record_key

FLASH = "retraction_flash"
RETRACTED = "retracted"


def retraction_panel(data: PageData) -> None:
    """Choose a table and one of its rows; retract it, or restore it if it is retracted."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(plain(message), icon=":material/check_circle:")
    table = st.selectbox("Table", RETRACTABLE_TABLES, key="retract_table")
    rows = cached_rows_with_retracted(data.status.url, data.status.version, table)
    if rows.empty:
        st.info("This table holds no rows.")
        return
    schema = TABLE_MAP[table]
    labels = {
        int(row["_id"]): record_key(schema, row) + (" (retracted)" if row["_retracted"] else "")
        for row in rows.to_dict("records")
    }
    shown = rows.drop(columns=["_id", "_version"]).rename(columns={"_retracted": RETRACTED})
    st.dataframe(shown, hide_index=True, width="stretch", height=240)
    record = st.selectbox(
        "Row", list(labels), format_func=lambda i: labels[i], key=f"retract_row_{table}"
    )
    if record is None:
        return
    restore = bool(rows.loc[rows["_id"] == record, "_retracted"].iloc[0])
    verb = "Restore" if restore else "Retract"
    reason = st.text_input(
        f"Why {verb.lower()} it (required, kept in the audit log)",
        max_chars=300,
        key=f"retract_reason_{table}",
    )
    if st.button(verb, key="retract_go", type="primary"):
        try:
            report = retract_records(
                get_engine(data.status.url), table, [record], actor=data.actor,
                reason=reason, restore=restore,
            )
        except (WorkbookRefused, PermissionRefused, ConflictRefused) as refused:
            show_refusal(refused)
            return
        done = sum(c["changed"] for c in report.counts.values())
        st.session_state[FLASH] = (
            f"{'Restored' if restore else 'Retracted'} {table} {labels[record]}"
            if done else f"{labels[record]} was already so: nothing changed."
        )
        st.rerun()
