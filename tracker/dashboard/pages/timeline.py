"""Institution › Persistence timeline: the indicators over the years with every turnover
marked, the structural changes as status spans, the decisions and the phase; beside it each
change's persistence tests with their verdicts, reasons and evidence."""

import streamlit as st

from tracker.dashboard import frame, panels

data = frame.open_page(
    "Persistence timeline",
    intro="Does each change hold when a key leader leaves or a partner withdraws? "
    "Dashed rules mark every turnover; persistence must be confirmed, not assumed.",
)
if data is None:
    st.stop()

institution = frame.choose_institution(data)
result = data.institution_analysis(institution).institution(institution)

chart_side, tests_side = st.columns([3, 2], gap="medium")
with chart_side:
    st.vega_lite_chart(data.timeline_spec(institution), width="content")
    st.caption(frame.rules_caption(data.params))
    frame.link_to(
        "story", "Read the contribution story", institution=institution, actor=data.actor,
        icon=":material/article:",
    )
with tests_side:
    panels.show_phase(result)
    records = data.institution_dataset(institution)
    panels.show_changes(records, result)
    panels.show_decisions(records, result)
panels.show_indicator_tests(result)
