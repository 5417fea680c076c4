"""The Evidence section of *Log a quarter*: an evidence item with what the confidence needs
to use it (#24, 7): the claim it bears on, and its process-tracing test type (whose preset
probabilities apply) or its own sensitivity and type I error. An item without them is saved
and listed, and the form says it is not used in the Bayes updating."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.dashboard.quarter.quarter_page import default_day, field, key, message_slot
from tracker.dashboard.quarter.record_forms import _missing, _new_key, _optional, _save, words
from tracker.db import read_session
from tracker.vocab import CHAIN_LINKS, EVIDENCE_KINDS, EVIDENCE_TESTS
from tracker.writes.quarter.stored_rows import institution_rows


def evidence_form(
    engine: Engine, actor: Actor, institution: str, period: str, *, locked: bool
) -> None:
    """An evidence item, optionally about a change or decision and a causal-chain link, with
    what the confidence needs to use it: the claim it bears on, and its test type (whose
    preset probabilities apply) or its own sensitivity and type I error."""
    with read_session(engine) as session:
        changes = institution_rows(session, "changes", institution=institution)
        decisions = institution_rows(session, "decisions", institution=institution)
        claims = institution_rows(session, "claims", institution=institution)
    statements = dict(zip(claims["key"], claims["statement"].astype(str), strict=True))
    titles = {
        **dict(zip(changes["key"], "Change: " + changes["title"].astype(str), strict=True)),
        **dict(zip(decisions["key"], "Decision: " + decisions["title"].astype(str), strict=True)),
    }
    title = st.text_input("Title", key=field("evidence", "title"), disabled=locked)
    date = st.date_input(
        "Date", key=field("evidence", "date", default_day(period)), disabled=locked
    )
    kind = st.selectbox(
        "Kind",
        _optional(EVIDENCE_KINDS),
        format_func=words,
        key=key("evidence", "kind"),
        disabled=locked,
    )
    source = st.text_input("Source", key=field("evidence", "source"), disabled=locked)
    record = st.selectbox(
        "About the change or decision",
        _optional(list(titles)),
        format_func=lambda k: "—" if k is None else titles[k],
        key=key("evidence", "record"),
        disabled=locked,
    )
    link = st.selectbox(
        "Causal-chain link",
        _optional(CHAIN_LINKS),
        format_func=words,
        key=key("evidence", "link"),
        disabled=locked,
    )
    supports = st.checkbox(
        "It supports the claim (untick: it counts against)",
        key=field("evidence", "supports", True),
        disabled=locked,
    )
    claim = st.selectbox(
        "The contribution claim it bears on",
        _optional(list(statements)),
        format_func=lambda k: "— (no claim: not used in the confidence)" if k is None
        else statements[k],
        key=key("evidence", "claim"),
        disabled=locked,
    )
    test = st.selectbox(
        "Process-tracing test (sets the probabilities below unless you give them)",
        _optional(list(EVIDENCE_TESTS)),
        format_func=lambda t: "—" if t is None else (
            f"{words(t)} (sensitivity {EVIDENCE_TESTS[t][0]:g}, type I error "
            f"{EVIDENCE_TESTS[t][1]:g})"),
        key=key("evidence", "test"),
        disabled=locked,
    )
    preset = EVIDENCE_TESTS.get(test) if test else None
    left, right = st.columns(2)
    sensitivity = left.number_input(
        "Sensitivity, P(E|H) (empty: the test's preset)", min_value=0.0, max_value=1.0,
        value=None, step=0.05, key=key("evidence", "sensitivity"), disabled=locked,
        placeholder="" if preset is None else f"{preset[0]:g} (preset)",
    )
    type_i = right.number_input(
        "Type I error, P(E|not H) (empty: the test's preset)", min_value=0.0, max_value=1.0,
        value=None, step=0.05, key=key("evidence", "type_i_error"), disabled=locked,
        placeholder="" if preset is None else f"{preset[1]:g} (preset)",
    )
    usable = claim is not None and (test is not None or (
        sensitivity is not None and type_i is not None))
    if not usable:
        st.caption(
            "This item will be listed but not used in the confidence (the Bayes updating) "
            "until it names a claim and a test type, or a claim and both probabilities."
        )
    fields = {
        "title": "Title",
        "date": "Date",
        "kind": "Kind",
        "source": "Source",
        "record": "About the change or decision",
        "link": "Causal-chain link",
        "supports": "It supports the claim",
        "test": "Process-tracing test",
        "claim": "The contribution claim it bears on",
        "sensitivity": "Sensitivity",
        "type_i_error": "Type I error",
    }
    message_slot("evidence")
    if st.button("Save the evidence", key=key("evidence", "save"), type="primary", disabled=locked):
        record_key = _new_key(engine, "evidence", institution, title, date)

        def rows() -> list[dict[str, Any]]:
            _missing({"title": ""}, {"title": title}, "evidence")
            return [
                {
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
                    "claim": claim,
                    "sensitivity": sensitivity,
                    "type_i_error": type_i,
                }
            ]

        _save(
            engine,
            actor,
            "evidence",
            rows,
            done=f"Evidence saved: {title.strip()}.",
            form="evidence",
            fields=fields,
            seen={record_key: 0},
        )
