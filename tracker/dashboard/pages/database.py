"""Administrator › Database and audit log: which database this is, what it holds, and the
latest writes (who, when, what, why); and "Retract"/"Restore" of one stored row, with a reason
(the write layer behind `tracker import --retract/--restore`, audited)."""

import pandas as pd
import streamlit as st

from tracker.dashboard import page_opening
from tracker.dashboard.admin.retraction_panel import retraction_panel
from tracker.dashboard.loaders import cached_audit
from tracker.workbook.schema import TABLE_NAMES

AUDIT_ROWS = 500

data = page_opening.open_page(
    "Database and audit log",
    intro="The database the dashboard reads, what it holds, and every recent write.",
)
if data is None:
    st.stop()
if not data.actor.is_admin:
    st.info("Only administrators read the audit log.", icon=":material/lock:")
    st.stop()

st.markdown(
    f"**Database:** `{data.status.where}` · **data version** (latest audit entry): "
    f"{data.status.version} · **institutions:** {data.status.institutions}"
)
dataset = data.dataset()
counts = pd.DataFrame(
    {"table": list(TABLE_NAMES), "rows": [len(dataset[name]) for name in TABLE_NAMES]}
)
tables, audit = st.columns([1, 3])
with tables:
    st.subheader("Rows per table", anchor=False)
    st.dataframe(counts, hide_index=True, width="stretch")
with audit:
    st.subheader(f"Latest {AUDIT_ROWS} audit entries", anchor=False)
    entries = cached_audit(data.status.url, data.status.version, AUDIT_ROWS)
    st.dataframe(entries, hide_index=True, width="stretch")
    st.caption("The whole log, with before and after values: `.venv/bin/tracker audit`.")

st.subheader("Retract or restore a row", anchor=False)
st.caption(
    "A retracted row leaves every page, report, export and analysis; it stays in the database "
    "with who retracted it, when and why, and can be restored. Nothing is deleted."
)
retraction_panel(data)
