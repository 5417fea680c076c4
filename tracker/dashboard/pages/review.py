"""Reviewer › Review quarters: the submitted quarters waiting for you; approve one, or return
it to the evaluator with a comment. Every action goes through the review state machine."""

import streamlit as st

from tracker.analysis.quarter_contents import quarter_contents
from tracker.dashboard import page_opening
from tracker.dashboard.review import review_queue
from tracker.db import get_engine

data = page_opening.open_page(
    "Review quarters",
    intro="Submitted quarters of your institutions. Approve, or return with what to correct.",
)
if data is None:
    st.stop()
if data.actor.role not in ("admin", "reviewer"):
    st.info("Only reviewers and administrators review quarters.", icon=":material/lock:")
    st.stop()
engine = get_engine(data.status.url)
chosen = review_queue.queue_panel(engine, data.actor)
if chosen is not None:
    institution, period = chosen
    contents = quarter_contents(
        data.institution_dataset(institution), institution=institution, period=period
    )
    review_queue.review_panel(engine, data.actor, institution, period, contents)
