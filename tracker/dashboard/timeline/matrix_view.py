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


# Read whole at any width: at a desktop width the columns share the page and long names wrap;
# on a phone each change becomes a card listing each turnover's verdict (no sideways scroll).
MATRIX_STYLE = """<style>
.tracker-matrix {border-collapse: collapse; width: 100%; table-layout: auto; font-size: 0.9rem;}
.tracker-matrix th, .tracker-matrix td {border: 1px solid rgba(49, 51, 63, 0.2);
  padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere;}
.tracker-matrix th {background: rgba(49, 51, 63, 0.05); font-weight: 600;}
.tracker-matrix td.change {min-width: 12rem; font-weight: 500;}
@media (max-width: 700px) {
  .tracker-matrix thead {display: none;}
  .tracker-matrix tr {display: block; margin-bottom: 0.6rem;
    border: 1px solid rgba(49, 51, 63, 0.2);}
  .tracker-matrix td {display: block; border: none; min-width: 0;}
  .tracker-matrix td.change {min-width: 0;}
  .tracker-matrix td.verdict::before {content: attr(data-turnover) ": "; font-weight: 600;}
}
</style>"""


def matrix_html(frame: pd.DataFrame) -> str:
    """The matrix as an HTML table (every cell escaped: change titles are users' text)."""
    from html import escape

    headers = "".join(f"<th scope=\"col\">{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        change, *verdicts = (str(v) for v in values)
        cells = "".join(
            f"<td class=\"verdict\" data-turnover=\"{escape(str(column))}\">{escape(v)}</td>"
            for column, v in zip(frame.columns[1:], verdicts, strict=True)
        )
        rows.append(f"<tr><td class=\"change\">{escape(change)}</td>{cells}</tr>")
    return (f"{MATRIX_STYLE}<table class=\"tracker-matrix\"><thead><tr>{headers}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


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
    st.html(matrix_html(matrix_frame(result, timeline)))
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
