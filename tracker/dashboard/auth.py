"""Who may use the dashboard: the login form, logout, and the optional OpenID Connect login.

- A database without any user: the person at the machine is the local administrator, and the
  sidebar says so (safe for one person on a dashboard bound to localhost; README, "Access").
- A database with users: nothing is shown until someone logs in, with a name and password
  (checked, throttled and audited by `tracker.users.authenticate`), or, where an OpenID Connect
  provider is configured in `.streamlit/secrets.toml` (`[auth]`), through Streamlit's built-in
  `st.login`: the identity's e-mail address must then be the name of an enabled account.

The signed-in name lives in the browser session's `st.session_state`; the account is read
again on every run, so disabling a user or changing their scope takes effect at once.
"""

from __future__ import annotations

import importlib.util

import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor, PermissionRefused, local_operator
from tracker.users import LoginRefused, actor_for, authenticate, has_users, record_session_event

SIGNED_IN = "tracker_signed_in"
OIDC_NOTED = "tracker_oidc_noted"


def _auth_in_secrets() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitAPIException):
        return False


def oidc_configured() -> bool:
    """True when `.streamlit/secrets.toml` configures an OpenID Connect provider (`[auth]`) and
    Authlib, which Streamlit's login needs, is installed."""
    return _auth_in_secrets() and importlib.util.find_spec("authlib") is not None


def signed_in_actor(engine: Engine) -> Actor | None:
    """The actor of this browser session, or None after drawing the login form.

    The caller stops the page when None is returned: nothing of the data is shown before login.
    """
    if not has_users(engine):
        return local_operator()
    name = st.session_state.get(SIGNED_IN)
    if name is None and oidc_configured() and st.user.is_logged_in:
        name = _oidc_name(engine)
    if name is not None:
        try:
            return actor_for(engine, name)
        except PermissionRefused as refused:
            # Disabled or removed since the login: back to the login form.
            st.session_state.pop(SIGNED_IN, None)
            st.error(f"{refused} Please log in again.")
    _login_form(engine)
    return None


def _oidc_name(engine: Engine) -> str | None:
    email = st.user.get("email")
    if not isinstance(email, str) or not email:
        st.error("Your identity provider did not give an e-mail address; ask an administrator.")
        return None
    if not st.session_state.get(OIDC_NOTED):
        try:
            actor_for(engine, email)
        except PermissionRefused:
            st.error(
                f"{email} has no enabled account here; ask an administrator to add it with "
                f"`tracker users add {email} --role … --no-password`."
            )
            st.button("Log out", on_click=st.logout)
            return None
        record_session_event(engine, email, "login", via="oidc")
        st.session_state[OIDC_NOTED] = True
    st.session_state[SIGNED_IN] = email
    return email


def _login_form(engine: Engine) -> None:
    st.title("tracker")
    st.write("This dashboard is shared: log in to see the institutions you may read.")
    if _auth_in_secrets() and not oidc_configured():
        st.warning("An OpenID Connect provider is configured, but Authlib is not installed: "
                   "`uv add 'streamlit[auth]'` to use it. Tracker accounts work meanwhile.")
    if oidc_configured():
        st.button("Log in with your organisation's account", on_click=st.login,
                  type="primary", key="oidc_login")
        st.caption("Or with a tracker account:")
    with st.form("login"):
        name = st.text_input("Name", key="login_name")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Log in")
    if not submitted:
        return
    try:
        actor = authenticate(engine, name.strip(), password)
    except LoginRefused as refused:
        st.error(str(refused))
        return
    st.session_state[SIGNED_IN] = actor.name
    st.rerun()


def logout_button(engine: Engine, actor: Actor) -> None:
    """A logout button in the sidebar, for a signed-in user (not for the local operator)."""
    if actor.local:
        return
    if st.sidebar.button("Log out", key="logout", icon=":material/logout:"):
        record_session_event(engine, actor.name, "logout",
                             via="oidc" if st.session_state.get(OIDC_NOTED) else "password")
        for key in (SIGNED_IN, OIDC_NOTED, "login_name", "login_password"):
            st.session_state.pop(key, None)
        if oidc_configured() and st.user.is_logged_in:
            st.logout()
        st.rerun()
