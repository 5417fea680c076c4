"""First steps on an empty database, in the browser: create the first administrator (while
no account exists), upload a workbook (with the same preview as on *Log a quarter*), or load
the illustrative sample. Shown by every page while the database holds no institution, each
page saying what it needs."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor, PermissionRefused
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.dashboard.quarter.workbook_upload import upload_panel
from tracker.users import add_user, has_users

PREFIX = "first_admin_"
# Where the first steps' successes wait for the next page (shown by `page_opening`).
FIRST_STEPS_FLASH = "first_steps"


def _first_administrator(engine: Engine, actor: Actor) -> None:
    """The first account, an administrator, who is then logged in here."""
    from tracker.browser_sessions import start_session
    from tracker.dashboard.auth import COOKIE_MAX_AGE, SESSION_COOKIE, SIGNED_IN

    st.markdown(
        "**1. Create the first administrator.** Until an account exists, anyone who can open "
        "this page acts as administrator; once it exists, everyone logs in."
    )
    # A form: its fields reach the server together with the click, so a field left with Tab
    # just before the click is never lost (outside a form, each field is sent on blur, and a
    # click can overtake it).
    with st.form(f"{PREFIX}form"):
        name = st.text_input("Your login name", key=f"{PREFIX}name")
        password = st.text_input("A password (at least the length the form asks for)",
                                 type="password", key=f"{PREFIX}password")
        again = st.text_input("The password again", type="password", key=f"{PREFIX}again")
        slot = st.empty()
        saved = st.form_submit_button("Create the administrator and log in",
                                      key=f"{PREFIX}save", type="primary")
    if not saved:
        return
    if password != again:
        slot.error("**Nothing was saved.**\n\n- \u201cThe password again\u201d: the two "
                   "passwords differ.", icon=":material/block:")
        return
    try:
        add_user(engine, name.strip(), role="admin", password=password, actor=actor,
                 reason="first administrator, created on the dashboard")
    except PermissionRefused as refused:
        show_refusal(refused, into=slot)
        return
    cookie = start_session(engine, name.strip())
    st.session_state[SIGNED_IN] = name.strip()
    st.session_state[SESSION_COOKIE] = cookie.value
    st.session_state[COOKIE_MAX_AGE] = cookie.max_age
    st.rerun()


def show_first_steps(engine: Engine, actor: Actor, where: str, page_needs: str) -> None:
    """What to do on an empty database: say what this page needs, then offer the first
    steps this user may take."""
    st.info(
        f"The database {where} holds no institution yet. {page_needs}\n\n"
        "**What to do next:** create the first administrator, upload a workbook or load the "
        "illustrative sample, below (or from the command line: `tracker sample load`, "
        "`tracker import PATH`).",
        icon=":material/lightbulb:",
    )
    if not actor.is_admin:
        st.markdown("Ask an administrator to import the institutions' workbook.")
        return
    if actor.local and not has_users(engine):
        _first_administrator(engine, actor)
    st.markdown(
        "**Upload a workbook** (one `.xlsx`, or its `.csv` files; the format is in "
        "docs/workbook.md): its problems, or a preview of what it would add, before anything "
        "is written."
    )
    upload_panel(engine, actor, where=FIRST_STEPS_FLASH)
    st.markdown("**Or try the product on the illustrative sample** (fictional data, marked "
                "as such on every page).")
