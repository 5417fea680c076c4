"""Who may use the dashboard: the login form, logout, and the optional OpenID Connect login.

- A database without any user: the person at the machine is the local administrator, and the
  sidebar says so (safe for one person on a dashboard bound to localhost; README, "Access").
- A database with users: nothing is shown until someone logs in, with a name and password
  (checked, throttled and audited by `tracker.users.authenticate`), or, where an OpenID Connect
  provider is configured in `.streamlit/secrets.toml` (`[auth]`), through Streamlit's built-in
  `st.login`: the identity's e-mail address must then be the name of an enabled account.

The signed-in name lives in the browser session's `st.session_state`; the account is read
again on every run, so disabling a user or changing their scope takes effect at once. A
password login also starts a server-side session (`tracker.browser_sessions`) whose signed,
expiring token the browser keeps as a cookie (set with a script of Streamlit's own `st.html`;
read back with `st.context.cookies`), so a reload, a bookmark or a new tab stays logged in;
the token is checked against the server on every run, and logout revokes it there.
"""

from __future__ import annotations

import importlib.util
import json

import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor, PermissionRefused, local_operator
from tracker.browser_sessions import (
    COOKIE_NAME,
    end_session,
    seconds_left,
    session_user,
    start_session,
)
from tracker.dashboard.text import plain
from tracker.users import (
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    LoginRefused,
    actor_for,
    authenticate,
    has_users,
    record_session_event,
)

SIGNED_IN = "tracker_signed_in"
OIDC_NOTED = "tracker_oidc_noted"
# The session cookie of this browser session (to set in the browser, and to revoke at logout).
SESSION_COOKIE = "tracker_session_cookie"
COOKIE_MAX_AGE = "tracker_session_max_age"
CLEAR_COOKIE = "tracker_clear_cookie"


def _cookie_script(value: str, max_age: int) -> None:
    """Set (or, with max_age 0, delete) the session cookie in the browser."""
    cookie = json.dumps(f"{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; SameSite=Strict")
    st.html(
        f"<script>document.cookie = {cookie} + "
        "(location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def keep_session_cookie() -> None:
    """Write this session's cookie in the browser (every run: the script is idempotent)."""
    value = st.session_state.get(SESSION_COOKIE)
    if value:
        with st.sidebar:
            _cookie_script(str(value), int(st.session_state.get(COOKIE_MAX_AGE, 0)))
    elif st.session_state.get(CLEAR_COOKIE):
        _cookie_script("", 0)


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
    actor = restored_actor(engine)
    if actor is None:
        login_form(engine)
    return actor


def restored_actor(engine: Engine) -> Actor | None:
    """The actor of this browser session without drawing anything: the local operator when
    there are no users; else whoever logged in here, or whose session cookie is still live."""
    if not has_users(engine):
        return local_operator()
    name = st.session_state.get(SIGNED_IN)
    cookie = st.session_state.get(SESSION_COOKIE) or (
        None if st.session_state.get(CLEAR_COOKIE) else st.context.cookies.get(COOKIE_NAME)
    )
    if name is None and cookie:
        name = session_user(engine, cookie)
        if name is not None:
            st.session_state[SIGNED_IN] = name
            st.session_state[SESSION_COOKIE] = cookie
            st.session_state[COOKIE_MAX_AGE] = seconds_left(cookie)
    elif (
        name is not None
        and st.session_state.get(SESSION_COOKIE)
        and session_user(engine, st.session_state[SESSION_COOKIE]) != name
    ):
        # Revoked elsewhere (logout in another tab, the account disabled): signed out here too.
        _forget_login()
        name = None
    if name is None and oidc_configured() and st.user.is_logged_in:
        name = _oidc_name(engine)
    if name is not None:
        try:
            return actor_for(engine, name)
        except PermissionRefused as refused:
            # Disabled or removed since the login: back to the login form.
            _forget_login()
            st.session_state["tracker_login_notice"] = f"{refused} Please log in again."
    return None


def _forget_login() -> None:
    for key in (SIGNED_IN, OIDC_NOTED, SESSION_COOKIE, COOKIE_MAX_AGE):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_COOKIE] = True


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
                f"{plain(email)} has no enabled account here; ask an administrator to add it with "
                f"`tracker users add {email} --role … --no-password`."
            )
            st.button("Log out", on_click=st.logout)
            return None
        record_session_event(engine, email, "login", via="oidc")
        st.session_state[OIDC_NOTED] = True
    st.session_state[SIGNED_IN] = email
    return email


def login_form(engine: Engine) -> None:
    """The login form (the page the address asked for opens once logged in)."""
    keep_session_cookie()
    notice = st.session_state.pop("tracker_login_notice", None)
    if notice:
        st.error(plain(notice))
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
        name = st.text_input("Name", key="login_name", max_chars=MAX_NAME_LENGTH)
        password = st.text_input(
            "Password", type="password", key="login_password", max_chars=MAX_PASSWORD_LENGTH
        )
        submitted = st.form_submit_button("Log in")
    if not submitted:
        return
    try:
        actor = authenticate(engine, name.strip(), password)
    except LoginRefused as refused:
        st.error(plain(refused))
        return
    st.session_state[SIGNED_IN] = actor.name
    cookie = start_session(engine, actor.name)
    st.session_state[SESSION_COOKIE] = cookie.value
    st.session_state[COOKIE_MAX_AGE] = cookie.max_age
    st.session_state.pop(CLEAR_COOKIE, None)
    st.rerun()


def logout_button(engine: Engine, actor: Actor) -> None:
    """A logout button in the sidebar, for a signed-in user (not for the local operator)."""
    if actor.local:
        return
    if st.sidebar.button("Log out", key="logout", icon=":material/logout:"):
        record_session_event(engine, actor.name, "logout",
                             via="oidc" if st.session_state.get(OIDC_NOTED) else "password")
        end_session(engine, st.session_state.get(SESSION_COOKIE))
        _forget_login()
        for key in ("login_name", "login_password"):
            st.session_state.pop(key, None)
        if oidc_configured() and st.user.is_logged_in:
            st.logout()
        st.rerun()
