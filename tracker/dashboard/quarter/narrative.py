"""The narrative section of *Log a quarter*: the quarter's narrative with the attribution-language
warning once the field is left (or Ctrl+Enter pressed: Streamlit sends a text area then), a
suggested rewording, and its implementation stage."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.analysis.language import check_language, suggest_rewording
from tracker.dashboard.quarter.quarter_page import attempt, key, message_slot, slot_of
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.dashboard.text import plain
from tracker.db import read_session
from tracker.vocab import STAGES
from tracker.writes.imports.rows import write_rows
from tracker.writes.quarter.state import QuarterRefused
from tracker.writes.quarter.stored_rows import institution_rows


def narrative_panel(
    engine: Engine, actor: Actor, institution: str, period: str, *, locked: bool
) -> None:
    """The quarter's narrative with the attribution-language warning each time its text is
    sent (leaving the field, or Ctrl+Enter), a suggested rewording with a button that applies
    it, and its stage."""
    with read_session(engine) as session:
        stored = institution_rows(session, "observations", institution=institution)
    stored = stored[stored["period"] == period]
    before = stored.iloc[0] if len(stored) else None
    # One draft per quarter, kept while other quarters are shown; the stored narrative fills
    # it the first time.
    text_key = key("narrative", f"text_{institution}_{period}")
    if text_key not in st.session_state:
        st.session_state[text_key] = "" if before is None else str(before["narrative"])
    suggestion_key = key("narrative", "suggestion")
    if suggestion_key in st.session_state:
        st.session_state[text_key] = st.session_state.pop(suggestion_key)
    narrative = st.text_area(
        "Narrative of the quarter",
        key=text_key,
        height=160,
        disabled=locked,
        help="What happened this quarter, in contribution language.",
        persist_state="session",
    )
    findings = check_language(narrative)
    for finding in findings:
        st.warning(plain(finding.message), icon=":material/lightbulb:")
    if findings and not locked:
        rewording = suggest_rewording(narrative or "")
        st.caption("Suggested rewording:")
        st.text(rewording)
        if st.button("Apply the rewording", key=key("narrative", "apply")):
            st.session_state[suggestion_key] = rewording
            st.rerun()
    stages = [None, *STAGES]
    current = None if before is None else before["stage"]
    stage = st.selectbox(
        "Implementation stage (Fixsen et al. 2005)",
        stages,
        index=stages.index(current) if current in stages else 0,
        key=key("narrative", "stage"),
        disabled=locked,
        format_func=lambda s: "(no judgement)" if s is None else s.replace("_", " "),
    )
    reason = ""
    if before is not None:
        reason = st.text_input(
            "Reason for changing the saved narrative",
            key=key("narrative", "reason"),
            disabled=locked,
        )
    message_slot("narrative")
    if st.button(
        "Save the narrative", key=key("narrative", "save"), type="primary", disabled=locked
    ):
        row = {"institution": institution, "period": period, "narrative": narrative, "stage": stage}
        seen = {
            "observations": {
                f"{institution}|{period}": 0 if before is None else int(before["_version"])
            }
        }
        if before is not None and not reason.strip():
            show_refusal(
                QuarterRefused(
                    "\u201cReason for changing the saved narrative\u201d: the narrative is "
                    "already saved; say why it changes (the old text is kept in history)."
                ),
                into=slot_of("narrative"),
            )
        else:
            attempt(
                lambda: write_rows(
                    engine,
                    {"observations": pd.DataFrame([row])},
                    actor=actor,
                    correct=before is not None,
                    reason=reason or None,
                    expected_versions=seen,
                ),
                done=f"Narrative for {period} saved.",
                where="narrative",
                reset=["narrative"],
                fields={"narrative": "Narrative of the quarter", "stage": "Implementation stage"},
            )


