"""Evaluator › Log a quarter: pick an institution and a quarter; see what is still missing;
enter indicator values, leadership changes, decisions, structural changes and their status,
evidence, influencing factors and the narrative (or upload a workbook); then submit. Every
save goes through the write layer; every refusal is listed beside its button. A locked quarter
is read-only, with a way to ask for its reopening."""

import streamlit as st

from tracker.dashboard import page_opening
from tracker.dashboard.quarter import (
    evidence_form,
    factor_form,
    lock_panel,
    narrative,
    period_picker,
    quarter_page,
    record_forms,
    value_grid,
    workbook_upload,
)
from tracker.db import get_engine

quarter_page.reset_forms()
data = page_opening.open_page(
    "Log a quarter",
    intro="One quarter of one institution: what happened, what held, and the evidence. "
    "Submitting locks the quarter.",
    needs="Logging a quarter needs the institution and its indicators: upload a workbook with "
    "them (institutions.csv, indicators.csv).",
)
if data is None:
    st.stop()
if data.actor.role not in ("admin", "evaluator"):
    st.info("Only evaluators and administrators log quarters.", icon=":material/lock:")
    st.stop()

engine = get_engine(data.status.url)
# What needs action first: a quarter returned for corrections (banner above the pickers).
banner = st.container()
period_picker.land_on_returned_institution(engine, data.actor)
institution = page_opening.choose_institution(data)
period = period_picker.choose_period(data, engine, institution)
with banner:
    names = data.institutions()
    period_picker.returned_banner(
        engine, data.actor, dict(zip(names["key"], names["name"], strict=True)), institution
    )
state = lock_panel.read_state(engine, institution, period)
locked = state.locked
lock_panel.show_state(engine, data.actor, state)
quarter_page.unsaved_notice(
    [p for p in value_grid.unsaved_quarters(institution) if p != period]
)
items = quarter_page.show_checklist(data, engine, institution, period, locked=locked)
dataset = data.institution_dataset(institution)

tabs = st.tabs(quarter_page.SECTIONS, key=quarter_page.SECTION_KEY, on_change="rerun")
with tabs[0]:
    value_grid.values_grid(engine, data.actor, dataset, institution, period, locked=locked)
with tabs[1]:
    record_forms.leadership_form(engine, data.actor, institution, period, locked=locked)
with tabs[2]:
    record_forms.decision_form(engine, data.actor, institution, period, locked=locked)
with tabs[3]:
    record_forms.change_form(engine, data.actor, institution, period, locked=locked)
with tabs[4]:
    evidence_form.evidence_form(engine, data.actor, institution, period, locked=locked)
with tabs[5]:
    factor_form.factor_form(engine, data.actor, institution, period, locked=locked)
with tabs[6]:
    narrative.narrative_panel(engine, data.actor, institution, period, locked=locked)
with tabs[7]:
    if locked:
        st.info(f"{period} is locked: a workbook cannot change it until it is reopened.")
    workbook_upload.upload_panel(engine, data.actor)
with tabs[8]:
    lock_panel.submit_panel(engine, data.actor, dataset, state, items)
