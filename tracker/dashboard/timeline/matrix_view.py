"""The persistence timeline's two answers at a glance: the change × turnover matrix (verdict
symbol and word per cell) and the panels, one full-width chart each on one time axis."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from tracker.analysis.results import InstitutionResult
from tracker.analysis.timeline import Timeline
from tracker.dashboard.text import plain
from tracker.dashboard.timeline.timeline_panels import timeline_panels
from tracker.dashboard.timeline.turnover_marks import turnover_frame, turnover_key
from tracker.reports.matrix import change_turnover_matrix

KINDS_KEY = (
    "On every panel: ▼ and a long dash mark a leadership change; ◆ and a short dot mark a "
    "partner withdrawal."
)


def matrix_frame(result: InstitutionResult, timeline: Timeline) -> pd.DataFrame:
    """Rows: changes; columns: the turnovers, headed by their number and marker on the chart."""
    headers, rows = change_turnover_matrix(result, with_keys=False)
    frame = pd.DataFrame(list(rows), columns=list(headers))
    numbered = turnover_frame(timeline.turnovers)
    names = ["change"] + [
        f"{row.number} {row.symbol} {row.label}" for row in numbered.itertuples(index=False)
    ]
    if len(names) == len(frame.columns):
        frame.columns = pd.Index(names)
    return frame


def show_matrix(result: InstitutionResult, timeline: Timeline) -> None:
    st.subheader("Which change survived which turnover", anchor=False)
    if not result.changes:
        st.caption("No structural change is recorded for this institution yet.")
        return
    if not result.turnovers:
        st.caption(
            "No turnover is recorded as of the as-of date: no change has been tested yet, and "
            "untested persistence is not persistence."
        )
        return
    matrix = matrix_frame(result, timeline)
    config = {
        name: st.column_config.TextColumn(width="large" if name == "change" else "medium")
        for name in matrix.columns
    }
    st.dataframe(matrix, hide_index=True, width="stretch", column_config=config)
    st.caption(
        "✔ persisted · ✘ reversed · ◷ too early (the window has not ended) · ? unconfirmed "
        "(no status recorded since) · – no test (the change came after the turnover)."
    )


def show_panels(timeline: Timeline) -> None:
    """Each panel as its own full-width chart: same time domain, same y-axis width."""
    charts = timeline_panels(timeline, width="container")
    for position, chart in enumerate(charts):
        # Fit the width only: the height stays the panel's own (Streamlit's "fit" would squash
        # it), and the fixed y-axis width keeps every panel's time axis in line.
        sized = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        st.altair_chart(sized, width="stretch")
        if position == 0 and len(timeline.turnovers):
            st.caption(plain(" · ".join(turnover_key(timeline.turnovers))))
            st.caption(plain(KINDS_KEY))
