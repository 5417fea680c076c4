"""What the reviewer approves, on *Review quarters*: the quarter's values with their change from
the quarter before, its narrative, evidence, leadership changes, decisions and status records,
with the language and plausibility warnings beside them (`tracker.analysis.quarter_contents`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tracker.analysis.quarter_contents import QuarterContents
from tracker.dashboard.labels import EVIDENCE_DIRECTIONS, NO, YES, status_label, words
from tracker.dashboard.text import plain


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _day(value: Any) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _table(frame: pd.DataFrame) -> None:
    """A small table as HTML (read whole, wrapped, found by the browser); `st.table` renders
    Markdown in cells, so every cell goes through `plain`."""
    st.table(frame.map(plain), hide_index=True)


def values_table(contents: QuarterContents) -> None:
    st.markdown(f"**Indicator values ({len(contents.values)})**")
    if not contents.values:
        st.caption("No indicator value is recorded for this quarter.")
        return
    rows = [
        {
            "indicator": line.name,
            "value": _number(line.value) + (f" {line.unit}" if line.unit else ""),
            "quarter before": (
                f"{_number(line.previous)} ({line.previous_period})"
                if line.previous is not None else "none recorded"
            ),
            "change": "" if line.change is None else f"{line.change:+g}",
            "warning": " ".join(d.message for d in line.doubts) or "",
        }
        for line in contents.values
    ]
    _table(pd.DataFrame(rows))
    for line in contents.values:
        for doubt in line.doubts:
            st.warning(f"**{plain(line.name)}**: {plain(doubt.message)}",
                       icon=":material/report:")


def narrative_block(contents: QuarterContents) -> None:
    stage = f" (stage: {words(contents.stage)})" if contents.stage else ""
    st.markdown(f"**Narrative{stage}**")
    if contents.narrative is None:
        st.caption("No narrative is recorded for this quarter.")
        return
    with st.container(border=True):
        st.markdown(plain(contents.narrative))
    for finding in contents.language:
        st.warning(plain(finding.message), icon=":material/lightbulb:")


def _records(title: str, frame: pd.DataFrame, columns: dict[str, str], empty: str) -> None:
    st.markdown(f"**{title} ({len(frame)})**")
    if frame.empty:
        st.caption(empty)
        return
    _table(pd.DataFrame({label: [_text(v) for v in frame[column]]
                         for column, label in columns.items()}))


def records_blocks(contents: QuarterContents) -> None:
    evidence = contents.evidence.assign(
        date=[_day(d) for d in contents.evidence["date"]],
        kind=[words(k) for k in contents.evidence["kind"]],
        test=[words(t) if isinstance(t, str) else "" for t in contents.evidence["test"]],
        supports=[str(EVIDENCE_DIRECTIONS.get(None if pd.isna(s) else bool(s), ""))
                  for s in contents.evidence["supports"]],
    )
    _records("Evidence", evidence,
             {"title": "title", "date": "date", "kind": "kind", "supports": "for the claim",
              "test": "test type", "source": "source"},
             "No evidence is dated in this quarter.")
    leadership = contents.leadership.assign(
        role=[words(r) for r in contents.leadership["role"]],
        start=[_day(d) for d in contents.leadership["start"]],
        end=[_day(d) for d in contents.leadership["end"]],
    )
    _records("Leadership changes", leadership,
             {"role": "role", "holder": "holder", "start": "from", "end": "until"},
             "No leadership tenure starts or ends in this quarter.")
    decisions = contents.decisions.assign(
        date=[_day(d) for d in contents.decisions["date"]],
        reverses_earlier=[YES if bool(r) else NO for r in contents.decisions["reverses_earlier"]],
    )
    _records("Decisions", decisions,
             {"title": "title", "date": "date", "reverses_earlier": "reverses an earlier one"},
             "No decision is dated in this quarter.")
    statuses = contents.status_records.assign(
        date=[_day(d) for d in contents.status_records["date"]],
        status=[status_label(s) for s in contents.status_records["status"]],
    )
    _records("Status records", statuses,
             {"change": "structural change", "date": "date", "status": "status",
              "evidence": "evidence"},
             "No status record is dated in this quarter.")


def contents_panel(contents: QuarterContents) -> None:
    """The whole quarter as the reviewer approves it, warnings first counted."""
    st.markdown(f"**What you approve: {plain(contents.institution)} {contents.period}**")
    if contents.warnings:
        st.warning(
            f"{contents.warnings} warning(s) to read before approving (below, beside what "
            "they concern).",
            icon=":material/warning:",
        )
    values_table(contents)
    narrative_block(contents)
    records_blocks(contents)
