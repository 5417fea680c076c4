"""The forms of the Administrator › Users and portfolios page.

Every save goes through the back end that the command line uses too (`tracker.users` for
accounts; `tracker.writes` for portfolio members), so it is checked and audited the same way;
every refusal is a message on the page, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor, PermissionRefused
from tracker.dashboard.auth import SESSION_COOKIE
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.dashboard.text import plain
from tracker.users import (
    UserInfo,
    add_user,
    set_disabled,
    set_password,
    set_portfolio_readers,
    set_scope,
)
from tracker.vocab import ROLES
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.imports.apply import ConflictRefused
from tracker.writes.imports.memberships import remove_portfolio_members
from tracker.writes.imports.rows import write_rows

NEW_PORTFOLIO = "New portfolio…"
FLASH = "admin_flash"
T = TypeVar("T")


def _attempt(action: Callable[[], T]) -> T | None:
    """Run a save; show its refusal on the page instead of raising."""
    try:
        return action()
    except (WorkbookRefused, PermissionRefused, ConflictRefused) as refused:
        show_refusal(refused)
    return None


def show_flash() -> None:
    """The outcome of the last save (kept across the rerun that refreshes the page)."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(plain(message), icon=":material/check_circle:")


def _done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def portfolio_editor(
    engine: Engine, actor: Actor, institutions: pd.DataFrame, memberships: pd.DataFrame,
    users: list[UserInfo],
) -> None:
    """Create a portfolio or change its name, its member institutions and its funders.

    `memberships` is the `portfolios` table of the workbook format (portfolio, institution,
    name): one row per member.
    """
    names = dict(zip(memberships["portfolio"], memberships["name"], strict=True))
    keys = sorted(names)
    choice = st.selectbox("Portfolio", [NEW_PORTFOLIO, *keys],
                          format_func=lambda k: k if k == NEW_PORTFOLIO else f"{names[k]} ({k})")
    new = choice == NEW_PORTFOLIO
    current = [] if new else sorted(
        memberships.loc[memberships["portfolio"] == choice, "institution"]
    )
    readers = [] if new else [u.name for u in users if choice in u.portfolios]
    funders = [u.name for u in users if u.role == "funder"]
    labels = dict(zip(institutions["key"], institutions["name"], strict=True))
    with st.form("portfolio"):
        key = st.text_input("Key", value="" if new else str(choice), disabled=not new)
        name = st.text_input("Name", value="" if new else str(names.get(choice) or ""))
        members = st.multiselect("Institutions", list(institutions["key"]), default=current,
                                 format_func=lambda k: f"{labels.get(k, k)} ({k})")
        if funders:
            chosen_readers = st.multiselect("Funders who read it", funders, default=readers)
        else:
            # Not an empty, greyed-out list: its faded label is unreadable (contrast 2.6:1).
            chosen_readers = []
            st.markdown("**Funders who read it**: no account has the role funder yet.")
        reason = st.text_input("Reason (kept in the audit log)")
        saved = st.form_submit_button("Save the portfolio", type="primary")
    if not saved:
        return
    key = key.strip()
    if not key or not members:
        st.error("A portfolio needs a key and at least one institution.")
        return
    renamed = not new and name != str(names.get(choice) or "")
    added = [m for m in members if m not in current]
    rows = pd.DataFrame({"portfolio": key, "institution": members if renamed else added,
                         "name": name or None})
    if len(rows) and _attempt(lambda: write_rows(
        engine, {"portfolios": rows}, actor=actor, correct=renamed, reason=reason or None,
        source="dashboard (portfolios)",
    )) is None:
        return
    removed = [m for m in current if m not in members]
    if removed and _attempt(lambda: remove_portfolio_members(
        engine, key, removed, actor=actor, reason=reason or None
    )) is None:
        return
    if set(chosen_readers) != set(readers) and _attempt(lambda: set_portfolio_readers(
        engine, key, chosen_readers, actor=actor, reason=reason or None
    )) is None:
        return
    _done(f"Portfolio {key} saved: {len(members)} institution(s), "
          f"{len(chosen_readers)} funder(s).")


def users_table(users: list[UserInfo]) -> None:
    """Every account with its role and scope (never a password or its hash)."""
    frame = pd.DataFrame(
        [{"name": u.name, "role": u.role, "institutions": ", ".join(u.institutions),
          "portfolios": ", ".join(u.portfolios), "state": "disabled" if u.disabled else "active",
          "login": "password" if u.has_password else "OpenID Connect only"} for u in users],
        columns=["name", "role", "institutions", "portfolios", "state", "login"],
    )
    st.dataframe(frame, hide_index=True, width="stretch")


ADD_FORM = "admin_add_"
ADD_DEFAULTS = {"name": "", "institutions": [], "portfolios": [], "password": "",
                "password_again": "", "reason": ""}


def _role_words(role: str) -> str:
    return {"admin": "Administrator", "evaluator": "Evaluator",
            "institution": "Institution viewer", "funder": "Funder"}.get(role, role)


def add_user_form(engine: Engine, actor: Actor, institutions: list[str], portfolios: list[str],
                  *, first: bool, names: dict[str, str] | None = None) -> None:
    """Create an account: evaluators and institution viewers take institutions; funders take
    portfolios; administrators take neither. `first`: no account exists yet (it must be an
    administrator). A refused form keeps what was typed; a saved one is cleared."""
    if st.session_state.pop(f"{ADD_FORM}clear", False):
        for field, default in ADD_DEFAULTS.items():
            st.session_state[f"{ADD_FORM}{field}"] = default
    shown = names or {}
    if f"{ADD_FORM}role" not in st.session_state:
        st.session_state[f"{ADD_FORM}role"] = "admin" if first else "evaluator"
    # A form: every field reaches the server with the click, so a password left with Tab just
    # before clicking *Add the user* is never lost (outside a form a field is sent on blur,
    # and the click could overtake it: the account was made without its password).
    with st.form(f"{ADD_FORM}form"):
        name = st.text_input("Name (an e-mail address for OpenID Connect logins)",
                             key=f"{ADD_FORM}name")
        role = st.selectbox("Role", list(ROLES), key=f"{ADD_FORM}role",
                            format_func=_role_words)
        chosen_institutions = st.multiselect(
            "Institutions (evaluator, institution viewer)", institutions,
            key=f"{ADD_FORM}institutions", format_func=lambda k: shown.get(k, k),
        )
        chosen_portfolios = st.multiselect("Portfolios (funder)", portfolios,
                                           key=f"{ADD_FORM}portfolios")
        password = st.text_input("Password (empty: OpenID Connect login only)",
                                 type="password", key=f"{ADD_FORM}password")
        again = st.text_input("The password again", type="password",
                              key=f"{ADD_FORM}password_again")
        reason = st.text_input("Reason (kept in the audit log)", key=f"{ADD_FORM}reason")
        slot = st.empty()
        message = st.session_state.pop(f"{ADD_FORM}done", None)
        if message:
            slot.success(message, icon=":material/check_circle:")
        saved = st.form_submit_button("Add the user", type="primary", key=f"{ADD_FORM}save")
    if not saved:
        return
    problems = []
    if actor.local and first and role != "admin":
        # Once an account exists, the dashboard asks for a login: without an administrator
        # among the accounts, nobody could manage users here any more.
        problems.append("\u201cRole\u201d: the first user must be an administrator "
                        "(add one for yourself first).")
    if password != again:
        problems.append("\u201cThe password again\u201d: the two passwords differ.")
    if problems:
        slot.error("**Nothing was saved.**\n\n" + "\n".join(f"- {p}" for p in problems),
                   icon=":material/block:")
        return
    try:
        add_user(
            engine, name.strip(), role=str(role), password=password or None, actor=actor,
            institutions=chosen_institutions, portfolios=chosen_portfolios,
            reason=reason or None,
        )
    except (PermissionRefused, WorkbookRefused, ConflictRefused) as refused:
        show_refusal(refused, into=slot)
        return
    st.session_state[f"{ADD_FORM}clear"] = True
    st.session_state[f"{ADD_FORM}done"] = f"User {name.strip()} added ({_role_words(role)})."
    st.rerun()


def change_user_form(engine: Engine, actor: Actor, users: list[UserInfo],
                     institutions: list[str], portfolios: list[str]) -> None:
    """Change one account: its scope, its password, or whether it is enabled."""
    if not users:
        return
    by_name = {u.name: u for u in users}
    user = by_name[str(st.selectbox("User", list(by_name)))]
    scope_tab, password_tab, state_tab = st.tabs(["Scope", "Password", "Enable or disable"])
    with scope_tab, st.form("user_scope"):
        chosen_institutions = st.multiselect("Institutions", institutions,
                                             default=list(user.institutions))
        chosen_portfolios = st.multiselect("Portfolios", portfolios,
                                           default=list(user.portfolios))
        reason = st.text_input("Reason", key="scope_reason")
        if st.form_submit_button("Save the scope") and _attempt(lambda: set_scope(
            engine, user.name, actor=actor, institutions=chosen_institutions,
            portfolios=chosen_portfolios, reason=reason or None,
        )) is not None:
            _done(f"Scope of {user.name} saved.")
    with password_tab, st.form("user_password", clear_on_submit=True):
        password = st.text_input("New password", type="password")
        if st.form_submit_button("Set the password") and _attempt(
            lambda: set_password(engine, user.name, password, actor=actor,
                                 keep_session=st.session_state.get(SESSION_COOKIE))
        ) is not None:
            _done(f"Password of {user.name} set.")
    with state_tab:
        reason = st.text_input("Reason", key="state_reason")
        label = "Enable" if user.disabled else "Disable"
        if st.button(f"{label} {user.name}") and _attempt(lambda: set_disabled(
            engine, user.name, disabled=not user.disabled, actor=actor, reason=reason or None,
        )) is not None:
            _done(f"{user.name} {'enabled' if user.disabled else 'disabled'}.")
