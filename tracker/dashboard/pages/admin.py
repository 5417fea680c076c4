"""Administrator › Users and portfolios: who may use tracker, with which role and scope, and
which institutions each funder's portfolio holds. Every save is checked and audited by the same
back end as `tracker users` and `tracker import`."""

import streamlit as st

from tracker.dashboard import page_opening
from tracker.dashboard.admin import user_forms
from tracker.db import get_engine
from tracker.users import list_users

data = page_opening.open_page(
    "Users and portfolios",
    intro="Accounts, roles and scope; portfolios and the funders who read them.",
    needs="Accounts are added here once institutions exist; the first administrator can be "
    "created now.",
)
if data is None:
    st.stop()
if not data.actor.is_admin:
    st.info("Only administrators manage users and portfolios.", icon=":material/lock:")
    st.stop()

engine = get_engine(data.status.url)
dataset = data.dataset()
institutions = data.institutions()
institution_keys = list(institutions["key"])
portfolio_keys = sorted(set(dataset["portfolios"]["portfolio"]))
users = list_users(engine, actor=data.actor)
user_forms.show_flash()

portfolios_tab, users_tab = st.tabs(["Portfolios", "Users"])
with portfolios_tab:
    user_forms.portfolio_editor(engine, data.actor, institutions, dataset["portfolios"], users)
with users_tab:
    user_forms.users_table(users)
    if data.actor.local:
        st.caption(
            "No user exists yet, so the dashboard runs as the local administrator. Once you add "
            "one, it asks everyone to log in: add an administrator for yourself first."
        )
    add, change = st.columns(2)
    with add:
        st.subheader("Add a user", anchor=False)
        user_forms.add_user_form(
            engine, data.actor, institution_keys, portfolio_keys, first=not users,
            names=dict(zip(institutions["key"], institutions["name"], strict=True)),
        )
    with change:
        st.subheader("Change a user", anchor=False)
        user_forms.change_user_form(engine, data.actor, users, institution_keys, portfolio_keys)
