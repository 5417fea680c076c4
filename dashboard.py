"""The tracker dashboard: a router over the pages of each audience (`streamlit run dashboard.py`).

Pages live in `tracker/dashboard/pages/` and are listed, by audience, in
`tracker/dashboard/navigation.py`; who is acting comes from `tracker/dashboard/session.py`.
"""

import streamlit as st

from tracker.dashboard.favicon import favicon
from tracker.dashboard.navigation import navigate
from tracker.dashboard.page_opening import analysis_rules_sidebar
from tracker.dashboard.session import current_actor, show_actor

# An image served by the dashboard itself: a `:material/…:` page icon is fetched from Google.
st.set_page_config(page_title="tracker", page_icon=favicon(), layout="wide")
actor = current_actor()
page = navigate(actor)
show_actor(actor)
analysis_rules_sidebar()
page.run()
