"""Evaluator › Due board: quarters that are due, overdue, returned or awaiting review."""

import streamlit as st

from tracker.dashboard import page_opening
from tracker.dashboard.review import review_queue
from tracker.db import get_engine

data = page_opening.open_page(
    "Due board",
    intro="Quarters that need action: open past their deadline, returned for corrections, "
    "or awaiting review.",
)
if data is None:
    st.stop()
review_queue.due_board_panel(get_engine(data.status.url), data.actor)
