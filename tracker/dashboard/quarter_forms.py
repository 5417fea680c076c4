"""The record forms of the "Log a quarter" page: a leadership change, a decision, a
structural change or its new status, an evidence item, an influencing factor (the indicator
values are in `quarter_values`).

Each form builds rows of the workbook format and saves them with `write_rows`, passing the
version of every record it showed, so a save over someone else's change is refused.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.dashboard.quarter_panels import attempt, default_day, key
from tracker.db import read_session
from tracker.vocab import (
    ASSESSED_ROLES,
    CHAIN_LINKS,
    CHANGE_KINDS,
    CHANGE_STATUSES,
    CULTURE_LEVELS,
    DECISION_COSTS,
    EVIDENCE_KINDS,
    EVIDENCE_TESTS,
)
from tracker.writes.quarter_rows import (
    institution_rows,
    open_tenures,
)
from tracker.writes.rows import write_rows

NEW_ROLE = "(a role not recorded yet)"


def _save(
    engine: Engine,
    actor: Actor,
    table: str,
    rows: list[dict[str, Any]],
    *,
    done: str,
    reset: str,
    seen: dict[str, int] | None = None,
) -> None:
    """Write a form's rows through the write layer; `seen` holds the versions the form showed
    (0 for a record the form creates), so that a record saved meanwhile is a conflict."""
    attempt(
        lambda: write_rows(
            engine,
            {table: pd.DataFrame(rows)},
            actor=actor,
            expected_versions=None if seen is None else {table: seen},
        ),
        done=done,
        reset=[reset],
    )


def _optional(options: tuple[str, ...] | list[str]) -> list[str | None]:
    return [None, *options]


def _label(value: str | None) -> str:
    return "—" if value is None else value.replace("_", " ")


def leadership_form(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    """A leadership change: the outgoing tenure ends, the next one starts (one write)."""
    with read_session(engine) as session:
        latest = open_tenures(session, institution=institution)
    roles = [*latest["role"], NEW_ROLE] if len(latest) else [NEW_ROLE]
    with st.form(key("leadership", "form")):
        role = st.selectbox("Role", roles, key=key("leadership", "role"))
        new_role = st.text_input(
            "New role's name (e.g. chief_executive)", key=key("leadership", "new_role")
        )
        ended = st.date_input(
            "Outgoing holder's last day (empty if the role was vacant)",
            value=None,
            key=key("leadership", "end"),
        )
        holder = st.text_input(
            "Incoming holder (a role description, e.g. 'Chief executive, third holder')",
            key=key("leadership", "holder"),
        )
        start = st.date_input(
            "Incoming holder's first day", value=default_day(period), key=key("leadership", "start")
        )
        key_role = st.checkbox("A key role", value=True, key=key("leadership", "key_role"))
        notes = st.text_input("Notes", key=key("leadership", "notes"))
        saved = st.form_submit_button("Save the leadership change", type="primary")
    if not saved:
        return
    chosen = new_role.strip() if role == NEW_ROLE else role
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    outgoing = latest[latest["role"] == chosen]
    if len(outgoing) and ended is not None:
        before = outgoing.iloc[0]
        rows.append(
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
    rows.append(
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
    _save(
        engine,
        actor,
        "leadership",
        rows,
        done=f"Leadership change in {chosen} saved.",
        reset="leadership",
        seen=seen,
    )


def decision_form(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    """An institutional decision with its reversal, community and cost flags."""
    with st.form(key("decision", "form")):
        record = st.text_input(
            "Key (a short identifier, e.g. d-2025-budget-panel)", key=key("decision", "key")
        )
        title = st.text_input("Decision", key=key("decision", "title"))
        date = st.date_input("Date", value=default_day(period), key=key("decision", "date"))
        reverses = st.checkbox(
            "It reverses an earlier decision of the institution", key=key("decision", "reverses")
        )
        community = st.checkbox(
            "It was taken because of work with the community", key=key("decision", "community")
        )
        cost = st.selectbox(
            "What it cost the institution", DECISION_COSTS, key=key("decision", "cost")
        )
        cost_note = st.text_input("About the cost", key=key("decision", "cost_note"))
        evidence = st.text_input("Evidence", key=key("decision", "evidence"))
        saved = st.form_submit_button("Save the decision", type="primary")
    if saved:
        row = {
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
        _save(
            engine,
            actor,
            "decisions",
            [row],
            done=f"Decision {record} saved.",
            reset="decision",
            seen={record: 0},
        )


def change_form(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    """A new structural change, or a new dated status of one already recorded."""
    with read_session(engine) as session:
        changes = institution_rows(session, "changes", institution=institution)
    kind = st.radio(
        "Record",
        ["A new status of a change", "A new structural change"],
        key=key("change", "mode"),
        horizontal=True,
    )
    if kind == "A new status of a change" and len(changes):
        titles = dict(zip(changes["key"], changes["title"], strict=True))
        with st.form(key("status", "form")):
            change = st.selectbox(
                "Change",
                list(titles),
                format_func=lambda k: f"{titles[k]} ({k})",
                key=key("status", "change"),
            )
            date = st.date_input(
                "Date of the status", value=default_day(period), key=key("status", "date")
            )
            status = st.selectbox(
                "Status", CHANGE_STATUSES, format_func=_label, key=key("status", "status")
            )
            evidence = st.text_input("Evidence", key=key("status", "evidence"))
            saved = st.form_submit_button("Save the status", type="primary")
        if saved:
            row = {"change": change, "date": date, "status": status, "evidence": evidence or None}
            _save(
                engine,
                actor,
                "change_status",
                [row],
                done=f"Status of {change} saved.",
                reset="status",
            )
        return
    with st.form(key("change", "form")):
        record = st.text_input("Key (e.g. c-hiring)", key=key("change", "key"))
        title = st.text_input("Title", key=key("change", "title"))
        change_kind = st.selectbox(
            "Kind", CHANGE_KINDS, format_func=_label, key=key("change", "kind")
        )
        adopted = st.date_input("Adopted", value=default_day(period), key=key("change", "adopted"))
        link = st.selectbox(
            "Causal-chain link",
            _optional(CHAIN_LINKS),
            format_func=_label,
            key=key("change", "link"),
        )
        level = st.selectbox(
            "Culture level",
            _optional(CULTURE_LEVELS),
            format_func=_label,
            key=key("change", "level"),
        )
        notes = st.text_input("Notes", key=key("change", "notes"))
        saved = st.form_submit_button("Save the change", type="primary")
    if saved:
        row = {
            "key": record,
            "institution": institution,
            "title": title,
            "kind": change_kind,
            "adopted": adopted,
            "chain_link": link,
            "culture_level": level,
            "notes": notes or None,
        }
        _save(
            engine,
            actor,
            "changes",
            [row],
            done=f"Structural change {record} saved.",
            reset="change",
            seen={record: 0},
        )


def evidence_form(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    """An evidence item, optionally about a change or decision and a causal-chain link."""
    with read_session(engine) as session:
        records = [
            *institution_rows(session, "changes", institution=institution)["key"],
            *institution_rows(session, "decisions", institution=institution)["key"],
        ]
    with st.form(key("evidence", "form")):
        record_key = st.text_input("Key (e.g. e-2025-peer-review)", key=key("evidence", "key"))
        title = st.text_input("Title", key=key("evidence", "title"))
        date = st.date_input("Date", value=default_day(period), key=key("evidence", "date"))
        kind = st.selectbox(
            "Kind", _optional(EVIDENCE_KINDS), format_func=_label, key=key("evidence", "kind")
        )
        source = st.text_input("Source", key=key("evidence", "source"))
        record = st.selectbox(
            "About the change or decision",
            _optional(records),
            format_func=_label,
            key=key("evidence", "record"),
        )
        link = st.selectbox(
            "Causal-chain link",
            _optional(CHAIN_LINKS),
            format_func=_label,
            key=key("evidence", "link"),
        )
        supports = st.checkbox(
            "It supports the claim (untick: it counts against)",
            value=True,
            key=key("evidence", "supports"),
        )
        test = st.selectbox(
            "Process-tracing test",
            _optional(list(EVIDENCE_TESTS)),
            format_func=_label,
            key=key("evidence", "test"),
        )
        saved = st.form_submit_button("Save the evidence", type="primary")
    if saved:
        row = {
            "key": record_key,
            "institution": institution,
            "title": title,
            "date": date,
            "kind": kind,
            "source": source or None,
            "record": record,
            "link": link,
            "supports": supports,
            "test": test,
        }
        _save(
            engine,
            actor,
            "evidence",
            [row],
            done=f"Evidence {record_key} saved.",
            reset="evidence",
            seen={record_key: 0},
        )


def factor_form(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    """An influencing factor (e.g. a balancing force) with its span and assessed role."""
    with st.form(key("factor", "form")):
        title = st.text_input("Factor (e.g. budget reductions)", key=key("factor", "title"))
        kind = st.text_input(
            "Kind (e.g. balancing_force, policy, funding)", key=key("factor", "kind")
        )
        start = st.date_input("From", value=default_day(period), key=key("factor", "start"))
        end = st.date_input("Until (empty if ongoing)", value=None, key=key("factor", "end"))
        role = st.selectbox(
            "Its role, as you assess it",
            ASSESSED_ROLES,
            index=ASSESSED_ROLES.index("unknown"),
            format_func=_label,
            key=key("factor", "role"),
        )
        notes = st.text_input("Notes", key=key("factor", "notes"))
        saved = st.form_submit_button("Save the factor", type="primary")
    if saved:
        row = {
            "institution": institution,
            "title": title,
            "kind": kind or None,
            "start": start,
            "end": end,
            "assessed_role": role,
            "notes": notes or None,
        }
        _save(engine, actor, "factors", [row], done=f"Factor {title} saved.", reset="factor")
