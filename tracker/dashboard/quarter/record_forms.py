"""The record forms of the "Log a quarter" page: a leadership change, a decision, a
structural change or its new status, an evidence item, an influencing factor (the indicator
values are in `quarter_values`).

Each form builds rows of the workbook format and saves them with `write_rows`, passing the
version of every record it showed, so a save over someone else's change is refused. Forms are
plain widgets (not `st.form`), so what is typed is kept across reruns and quarter switches
until it is saved or discarded. People read names (roles, changes, decisions), never keys:
keys are made from titles and dates (`tracker.writes.imports.record_keys`) and shown only as
secondary text. A locked quarter shows every field disabled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.dashboard.quarter.quarter_page import attempt, default_day, field, key, message_slot
from tracker.db import read_session
from tracker.vocab import (
    CHAIN_LINKS,
    CHANGE_KINDS,
    CHANGE_STATUSES,
    CULTURE_LEVELS,
    DECISION_COSTS,
)
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.writes.imports.record_keys import new_record_key, role_key
from tracker.writes.imports.rows import write_rows
from tracker.writes.quarter.stored_rows import institution_rows, open_tenures

NEW_ROLE = "(a role not recorded yet)"


def words(value: str | None) -> str:
    """A vocabulary word or key as a person reads it: `chief_executive` → "Chief executive"."""
    if value is None:
        return "—"
    text = str(value).replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def _optional(options: tuple[str, ...] | list[str]) -> list[str | None]:
    return [None, *options]


def _missing(fields: Mapping[str, str], values: Mapping[str, Any], table: str) -> None:
    """Refuse (before any write) when a required field is empty, naming each such field."""
    empty = [name for name in fields if not str(values.get(name) or "").strip()]
    if empty:
        raise WorkbookRefused(
            [Problem(table, None, name, "is required: fill it in.") for name in empty]
        )


def _save(
    engine: Engine,
    actor: Actor,
    table: str,
    rows: Callable[[], list[dict[str, Any]]],
    *,
    done: str,
    form: str,
    fields: Mapping[str, str],
    seen: Mapping[str, int] | None = None,
) -> None:
    """Write a form's rows through the write layer; `seen` holds the versions the form showed
    (0 for a record the form creates), so that a record saved meanwhile is a conflict."""
    attempt(
        lambda: write_rows(
            engine,
            {table: pd.DataFrame(rows())},
            actor=actor,
            expected_versions=None if seen is None else {table: dict(seen)},
        ),
        done=done,
        where=form,
        reset=[form],
        fields=fields,
    )


def leadership_form(
    engine: Engine, actor: Actor, institution: str, period: str, *, locked: bool
) -> None:
    """A leadership change: the outgoing tenure ends, the next one starts (one write)."""
    with read_session(engine) as session:
        latest = open_tenures(session, institution=institution)
    holders = dict(zip(latest["role"], latest["holder"], strict=True)) if len(latest) else {}
    roles = [*holders, NEW_ROLE]
    picker = key("leadership", "role")
    # Set by the page every run: after a change the labels name the new holder, and the
    # browser would otherwise keep showing the label it had (the old holder).
    picked = st.session_state.get(picker)
    st.session_state[picker] = picked if picked in roles else roles[0]
    role = st.selectbox(
        "Role",
        roles,
        key=picker,
        disabled=locked,
        format_func=lambda r: r if r == NEW_ROLE else f"{words(r)} (now: {holders[r]})",
    )
    new_role = ""
    if role == NEW_ROLE:
        new_role = st.text_input(
            "The new role's name (e.g. Chief executive)",
            key=field("leadership", "new_role"),
            disabled=locked,
        )
    ended = st.date_input(
        "Outgoing holder's last day (empty if the role was vacant)",
        key=field("leadership", "end", None),
        disabled=locked,
    )
    holder = st.text_input(
        "Incoming holder (a role description, e.g. 'Chief executive, third holder')",
        key=field("leadership", "holder"),
        disabled=locked,
    )
    start = st.date_input(
        "Incoming holder's first day",
        key=field("leadership", "start", default_day(period)),
        disabled=locked,
    )
    key_role = st.checkbox("A key role", key=field("leadership", "key_role", True), disabled=locked)
    notes = st.text_input("Notes", key=field("leadership", "notes"), disabled=locked)
    fields = {
        "role": "The new role's name",
        "holder": "Incoming holder",
        "start": "Incoming holder's first day",
        "end": "Outgoing holder's last day",
        "notes": "Notes",
    }
    chosen = role_key(new_role) if role == NEW_ROLE else str(role)
    seen: dict[str, int] = {}

    def rows() -> list[dict[str, Any]]:
        _missing(
            {"holder": "", **({"role": ""} if role == NEW_ROLE else {})},
            {"holder": holder, "role": chosen},
            "leadership",
        )
        found: list[dict[str, Any]] = []
        outgoing = latest[latest["role"] == chosen] if len(latest) else latest
        if len(outgoing) and ended is not None:
            before = outgoing.iloc[0]
            found.append(
                {
                    "institution": institution,
                    "role": chosen,
                    "holder": before["holder"],
                    "start": before["start"],
                    "end": ended,
                    "key_role": before["key_role"],
                    "notes": before["notes"],
                }
            )
            seen[str(before["_record"])] = int(before["_version"])
        found.append(
            {
                "institution": institution,
                "role": chosen,
                "holder": holder,
                "start": start,
                "end": None,
                "key_role": key_role,
                "notes": notes or None,
            }
        )
        return found

    message_slot("leadership")
    if st.button(
        "Save the leadership change",
        key=key("leadership", "save"),
        type="primary",
        disabled=locked,
    ):
        _save(
            engine,
            actor,
            "leadership",
            rows,
            done=f"Leadership change saved: {holder.strip()} in {words(chosen)}.",
            form="leadership",
            fields=fields,
            seen=seen,
        )


def _new_key(engine: Engine, table: str, institution: str, title: str, day: dt.date) -> str:
    with read_session(engine) as session:
        return new_record_key(session, table, institution=institution, title=title, day=day)


def decision_form(
    engine: Engine, actor: Actor, institution: str, period: str, *, locked: bool
) -> None:
    """An institutional decision with its reversal, community and cost flags."""
    title = st.text_input("Decision", key=field("decision", "title"), disabled=locked)
    date = st.date_input(
        "Date", key=field("decision", "date", default_day(period)), disabled=locked
    )
    reverses = st.checkbox(
        "It reverses an earlier decision of the institution",
        key=field("decision", "reverses", False),
        disabled=locked,
    )
    community = st.checkbox(
        "It was taken because of work with the community",
        key=field("decision", "community", False),
        disabled=locked,
    )
    cost = st.selectbox(
        "What it cost the institution",
        DECISION_COSTS,
        key=key("decision", "cost"),
        format_func=words,
        disabled=locked,
    )
    cost_note = st.text_input("About the cost", key=field("decision", "cost_note"), disabled=locked)
    evidence = st.text_input("Evidence", key=field("decision", "evidence"), disabled=locked)
    fields = {
        "title": "Decision",
        "date": "Date",
        "cost": "What it cost the institution",
        "cost_note": "About the cost",
        "evidence": "Evidence",
    }
    message_slot("decision")
    if st.button("Save the decision", key=key("decision", "save"), type="primary", disabled=locked):
        record = _new_key(engine, "decisions", institution, title, date)

        def rows() -> list[dict[str, Any]]:
            _missing({"title": ""}, {"title": title}, "decisions")
            return [
                {
                    "key": record,
                    "institution": institution,
                    "date": date,
                    "title": title,
                    "reverses_earlier": reverses,
                    "because_of_community": community,
                    "cost": cost,
                    "cost_note": cost_note or None,
                    "evidence": evidence or None,
                }
            ]

        _save(
            engine,
            actor,
            "decisions",
            rows,
            done=f"Decision saved: {title.strip()}.",
            form="decision",
            fields=fields,
            seen={record: 0},
        )


def change_form(
    engine: Engine, actor: Actor, institution: str, period: str, *, locked: bool
) -> None:
    """A new structural change, or a new dated status of one already recorded."""
    with read_session(engine) as session:
        changes = institution_rows(session, "changes", institution=institution)
    kind = st.radio(
        "Record",
        ["A new status of a change", "A new structural change"],
        key=key("change", "mode"),
        horizontal=True,
        disabled=locked,
    )
    if kind == "A new status of a change" and len(changes):
        _status_form(engine, actor, changes, period, locked=locked)
        return
    title = st.text_input("Title", key=field("change", "title"), disabled=locked)
    change_kind = st.selectbox(
        "Kind", CHANGE_KINDS, format_func=words, key=key("change", "kind"), disabled=locked
    )
    adopted = st.date_input(
        "Adopted", key=field("change", "adopted", default_day(period)), disabled=locked
    )
    link = st.selectbox(
        "Causal-chain link",
        _optional(CHAIN_LINKS),
        format_func=words,
        key=key("change", "link"),
        disabled=locked,
    )
    level = st.selectbox(
        "Culture level",
        _optional(CULTURE_LEVELS),
        format_func=words,
        key=key("change", "level"),
        disabled=locked,
    )
    notes = st.text_input("Notes", key=field("change", "notes"), disabled=locked)
    fields = {
        "title": "Title",
        "kind": "Kind",
        "adopted": "Adopted",
        "chain_link": "Causal-chain link",
        "culture_level": "Culture level",
        "notes": "Notes",
    }
    message_slot("change")
    if st.button("Save the change", key=key("change", "save"), type="primary", disabled=locked):
        record = _new_key(engine, "changes", institution, title, adopted)

        def rows() -> list[dict[str, Any]]:
            _missing({"title": ""}, {"title": title}, "changes")
            return [
                {
                    "key": record,
                    "institution": institution,
                    "title": title,
                    "kind": change_kind,
                    "adopted": adopted,
                    "chain_link": link,
                    "culture_level": level,
                    "notes": notes or None,
                }
            ]

        _save(
            engine,
            actor,
            "changes",
            rows,
            done=f"Structural change saved: {title.strip()}.",
            form="change",
            fields=fields,
            seen={record: 0},
        )


def _status_form(
    engine: Engine, actor: Actor, changes: pd.DataFrame, period: str, *, locked: bool
) -> None:
    titles = dict(zip(changes["key"], changes["title"], strict=True))
    change = st.selectbox(
        "Change",
        list(titles),
        format_func=lambda k: str(titles[k]),
        key=key("status", "change"),
        disabled=locked,
    )
    st.caption(f"Record key: {change}")
    date = st.date_input(
        "Date of the status",
        key=field("status", "date", default_day(period)),
        disabled=locked,
    )
    status = st.selectbox(
        "Status",
        CHANGE_STATUSES,
        format_func=words,
        key=key("status", "status"),
        disabled=locked,
    )
    evidence = st.text_input("Evidence", key=field("status", "evidence"), disabled=locked)
    fields = {
        "change": "Change",
        "date": "Date of the status",
        "status": "Status",
        "evidence": "Evidence",
    }
    message_slot("status")
    if st.button("Save the status", key=key("status", "save"), type="primary", disabled=locked):
        row = {"change": change, "date": date, "status": status, "evidence": evidence or None}
        _save(
            engine,
            actor,
            "change_status",
            lambda: [row],
            done=f"Status saved: {titles[change]} is {words(status).lower()} on {date}.",
            form="status",
            fields=fields,
        )
