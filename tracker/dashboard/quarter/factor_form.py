"""The Influencing factor section of *Log a quarter*: a factor (e.g. a balancing force) with
its span and the role the evaluator assesses it played."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.dashboard.quarter.quarter_page import default_day, field, key, message_slot
from tracker.dashboard.quarter.record_forms import _missing, _save, words
from tracker.vocab import ASSESSED_ROLES
from tracker.writes.imports.record_keys import role_key


def factor_form(
    engine: Engine, actor: Actor, institution: str, period: str, *, locked: bool
) -> None:
    """An influencing factor (e.g. a balancing force) with its span and assessed role."""
    title = st.text_input(
        "Factor (e.g. budget reductions)", key=field("factor", "title"), disabled=locked
    )
    kind = st.text_input(
        "Kind (e.g. balancing force, policy, funding)",
        key=field("factor", "kind"),
        disabled=locked,
    )
    start = st.date_input(
        "From", key=field("factor", "start", default_day(period)), disabled=locked
    )
    end = st.date_input(
        "Until (empty if ongoing)", key=field("factor", "end", None), disabled=locked
    )
    role = st.selectbox(
        "Its role, as you assess it",
        ASSESSED_ROLES,
        index=ASSESSED_ROLES.index("unknown"),
        format_func=words,
        key=key("factor", "role"),
        disabled=locked,
    )
    notes = st.text_input("Notes", key=field("factor", "notes"), disabled=locked)
    fields = {
        "title": "Factor",
        "kind": "Kind",
        "start": "From",
        "end": "Until",
        "assessed_role": "Its role, as you assess it",
        "notes": "Notes",
    }
    message_slot("factor")
    if st.button("Save the factor", key=key("factor", "save"), type="primary", disabled=locked):

        def rows() -> list[dict[str, Any]]:
            _missing({"title": ""}, {"title": title}, "factors")
            return [
                {
                    "institution": institution,
                    "title": title,
                    "kind": role_key(kind) if kind.strip() else None,
                    "start": start,
                    "end": end,
                    "assessed_role": role,
                    "notes": notes or None,
                }
            ]

        _save(
            engine,
            actor,
            "factors",
            rows,
            done=f"Factor saved: {title.strip()}.",
            form="factor",
            fields=fields,
        )
