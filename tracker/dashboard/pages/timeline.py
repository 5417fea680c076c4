"""Institution › Persistence timeline: which change survived which turnover, at a glance (the
change × turnover matrix), then the panels on one shared time axis — every turnover numbered
once at the top and ruled on every panel with a dash per kind — then each change's tests,
the decisions, the phase and the indicator tests with their regression sentences."""

import streamlit as st

from tracker.dashboard import page_opening, targets_view
from tracker.dashboard.timeline import change_blocks, matrix_view

data = page_opening.open_page(
    "Persistence timeline",
    intro="Does each change hold when a key leader leaves or a partner withdraws? "
    "Every turnover is numbered at the top and ruled on every panel; persistence must be "
    "confirmed, not assumed.",
)
if data is None:
    st.stop()

institution = page_opening.choose_institution(data)
result = data.institution_analysis(institution).institution(institution)
timeline = data.timeline(institution)

matrix_view.show_matrix(result, timeline)
matrix_view.show_panels(timeline)
st.caption(page_opening.rules_caption(data.params))
page_opening.link_to(
    "story", "Read the contribution story", institution=institution, actor=data.actor,
    icon=":material/article:",
)
records = data.institution_dataset(institution)
changes_side, phase_side = st.columns([3, 2], gap="medium")
with changes_side:
    change_blocks.show_changes(records, result)
    change_blocks.show_decisions(records, result)
with phase_side:
    change_blocks.show_phase(result)
change_blocks.show_indicator_tests(result)
targets_view.show_targets(data, institution)
