"""Who is using the dashboard: the single hook that returns the acting `Actor`.

Every page reads data as this actor, scoped by `tracker.scope.readable_institutions`. With
users in the database, the actor is whoever logged in (`tracker/dashboard/auth.py`); without
any, the person at the machine is the local operator acting as administrator, and the sidebar
says so.
"""

from __future__ import annotations

import streamlit as st

from tracker.access import Actor
from tracker.db import get_engine

LOCAL_ADMIN_NOTE = (
    "Running as local administrator: every institution is visible. No users exist, so anyone "
    "who can open this page acts as administrator: keep it on localhost, or add users first "
    "(`tracker users add`, docs/administrator.md, \"Access\")."
)


def current_actor() -> Actor:
    """The actor this browser session reads and writes as.

    With users in the database, the login form is drawn and the page stops until someone logs
    in (`tracker.dashboard.auth`); without any, the local operator acts as administrator.
    """
    from tracker.dashboard.auth import login_form, restored_actor

    engine = get_engine()
    actor = restored_actor(engine)
    if actor is None:
        # Resolve the address's page (a deep link, a bookmark) before the login form, so that
        # the page it names opens once logged in; nothing of any page runs before that.
        from tracker.dashboard.navigation import all_pages_hidden

        st.navigation(all_pages_hidden(), position="hidden")
        login_form(engine)
        st.stop()
    return actor


def show_actor(actor: Actor) -> None:
    """Say in the sidebar who the dashboard is acting as (always visible, on every page)."""
    if actor.local and actor.is_admin:
        st.sidebar.caption(f":material/admin_panel_settings: {LOCAL_ADMIN_NOTE}")
    else:
        st.sidebar.caption(f":material/person: Signed in as {actor.name} ({actor.role}).")
        from tracker.dashboard.auth import keep_session_cookie, logout_button

        logout_button(get_engine(), actor)
        keep_session_cookie()
