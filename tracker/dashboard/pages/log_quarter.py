"""Evaluator › Log a quarter: pick an institution and a quarter; see what is still missing;
enter indicator values, leadership changes, decisions, structural changes and their status,
evidence, influencing factors and the narrative (or upload a workbook); then submit. Every
save goes through the write layer; every refusal is a message on the page."""

import streamlit as st

from tracker.dashboard import frame, quarter_forms, quarter_panels, quarter_values
from tracker.db import get_engine

quarter_panels.reset_forms()
data = frame.open_page(
    "Log a quarter",
    intro="One quarter of one institution: what happened, what held, and the evidence. "
    "Submitting locks the quarter.",
)
if data is None:
    st.stop()
if data.actor.role not in ("admin", "evaluator"):
    st.info("Only evaluators and administrators log quarters.", icon=":material/lock:")
    st.stop()

engine = get_engine(data.status.url)
institution = frame.choose_institution(data)
period = quarter_panels.choose_period(data, institution)
quarter_panels.show_flash()
quarter_panels.show_state(engine, institution, period)
quarter_panels.show_checklist(data, engine, institution, period)

tabs = st.tabs(
    [
        "Indicator values",
        "Leadership",
        "Decision",
        "Structural change",
        "Evidence",
        "Influencing factor",
        "Narrative",
        "Upload a workbook",
        "Submit",
    ]
)
with tabs[0]:
    quarter_values.values_form(
        engine, data.actor, data.institution_dataset(institution), institution, period
    )
with tabs[1]:
    quarter_forms.leadership_form(engine, data.actor, institution, period)
with tabs[2]:
    quarter_forms.decision_form(engine, data.actor, institution, period)
with tabs[3]:
    quarter_forms.change_form(engine, data.actor, institution, period)
with tabs[4]:
    quarter_forms.evidence_form(engine, data.actor, institution, period)
with tabs[5]:
    quarter_forms.factor_form(engine, data.actor, institution, period)
with tabs[6]:
    quarter_panels.narrative_panel(engine, data.actor, institution, period)
with tabs[7]:
    quarter_panels.upload_panel(engine, data.actor)
with tabs[8]:
    quarter_panels.submit_panel(engine, data.actor, institution, period)
