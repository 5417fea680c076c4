"""The "Log a quarter" page's lock: the quarter's state where everyone sees it first (who
submitted when), requesting its reopening (anyone who may write for it) or acting on requests
(administrators), and the Submit section with its summary."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.dashboard.quarter.period_picker import has_ended
from tracker.dashboard.quarter.quarter_page import attempt, key, message_slot
from tracker.dashboard.text import plain
from tracker.dataset import Dataset
from tracker.db import read_session
from tracker.periods import period_end
from tracker.writes.quarter.checklist import ChecklistItem
from tracker.writes.quarter.reopening import (
    ReopeningRequest,
    decide_request,
    pending_requests,
    request_reopening,
)
from tracker.writes.quarter.review import reopen
from tracker.writes.quarter.state import QuarterState, may_reopen, quarter_state
from tracker.writes.quarter.submission import submission_notes, submit_summary, submit_with_reasons


def read_state(engine: Engine, institution: str, period: str) -> QuarterState:
    with read_session(engine) as session:
        return quarter_state(session, institution=institution, period=period)


def show_state(engine: Engine, actor: Actor, state: QuarterState) -> None:
    """The quarter's lock first: open, or locked (read-only) with who submitted it when, and
    the way to have it reopened."""
    period = state.period
    if state.state == "returned":
        st.error(f"**{period} is {plain(state.describe())}.**", icon=":material/undo:")
        return
    if not state.locked:
        st.info(f"{period} is {plain(state.describe())}.", icon=":material/lock_open:")
        return
    st.warning(
        f"**{period} is {plain(state.describe())}.** It is read-only: its fields are disabled "
        "until an administrator reopens it.",
        icon=":material/lock:",
    )
    with read_session(engine) as session:
        waiting = pending_requests(session, institutions=[state.institution], period=period)
    if may_reopen(actor):
        _admin_reopen(engine, actor, state, waiting)
    elif waiting:
        message_slot("reopen")
        first = waiting[0]
        st.caption(plain(
            f"Reopening requested by {first.requested_by} at "
            f"{first.requested_at:%Y-%m-%d %H:%M}: an administrator will see it."
        ))
        st.text(first.reason)
    else:
        _request_form(engine, actor, state)


def _request_form(engine: Engine, actor: Actor, state: QuarterState) -> None:
    with st.expander("Request reopening", icon=":material/lock_reset:"):
        reason = st.text_area(
            "Why should it be reopened? (an administrator reads this)",
            key=key("reopen", "request_reason"),
        )
        message_slot("reopen")
        if st.button("Send the request", key=key("reopen", "request"), type="primary"):
            attempt(
                lambda: request_reopening(
                    engine,
                    institution=state.institution,
                    period=state.period,
                    actor=actor,
                    reason=reason,
                ),
                done="Request sent: an administrator will see it on this page and with "
                "the requests list.",
                where="reopen",
                reset=["reopen"],
            )


def _admin_reopen(
    engine: Engine, actor: Actor, state: QuarterState, waiting: list[ReopeningRequest]
) -> None:
    for request in waiting:
        st.markdown(
            f"**Reopening requested** by {plain(request.requested_by)} at "
            f"{request.requested_at:%Y-%m-%d %H:%M}:"
        )
        st.text(request.reason)
        note = st.text_input(
            "Your note (needed to decline)", key=key("reopen", f"note_{request.id}")
        )
        grant, decline = st.columns(2)
        if grant.button(
            "Grant: reopen the quarter", key=key("reopen", f"grant_{request.id}"), type="primary"
        ):
            attempt(
                partial(
                    decide_request, engine, request_id=request.id, actor=actor, grant=True,
                    note=note,
                ),
                done=f"{state.period} reopened at {request.requested_by}'s request.",
                where="reopen",
                reset=["reopen"],
            )
        if decline.button("Decline", key=key("reopen", f"decline_{request.id}")):
            attempt(
                partial(
                    decide_request, engine, request_id=request.id, actor=actor, grant=False,
                    note=note,
                ),
                done="Request declined.",
                where="reopen",
                reset=["reopen"],
            )
    if waiting:
        message_slot("reopen")
        return
    with st.expander("Reopen this quarter", icon=":material/lock_reset:", expanded=True):
        reason = st.text_input("Reason for reopening", key=key("reopen", "reason"))
        message_slot("reopen")
        if st.button(f"Reopen {state.period}", key=key("reopen", "go")):
            attempt(
                lambda: reopen(
                    engine,
                    institution=state.institution,
                    period=state.period,
                    actor=actor,
                    reason=reason,
                ),
                done=f"{state.period} reopened.",
                where="reopen",
                reset=["reopen"],
                fields={"reason": "Reason for reopening"},
            )


def submit_panel(
    engine: Engine,
    actor: Actor,
    dataset: Dataset,
    state: QuarterState,
    items: list[ChecklistItem],
) -> None:
    """What submitting locks, what is missing (each with a reason to give), a confirmation."""
    institution, period = state.institution, state.period
    if state.locked:
        message_slot("submit")
        st.markdown(plain(f"{period} is {state.describe()}."))
        with read_session(engine) as session:
            notes = submission_notes(session, institution=institution, period=period)
        if notes:
            st.caption("Reasons given for what was missing:")
            st.dataframe(pd.DataFrame(notes, columns=["Item", "Reason"]), hide_index=True)
        return
    if not has_ended(period):
        # A quarter is submitted once it is over: until then more may happen in it.
        st.info(
            f"{period} has not ended yet (its last day is {period_end(period):%d %B %Y}): it can "
            f"be submitted from {period_end(period) + dt.timedelta(days=1):%d %B %Y}. Until "
            "then, save what you have; nothing is locked.",
            icon=":material/event_upcoming:",
        )
        return
    summary = submit_summary(dataset, institution=institution, period=period, checklist=items)
    st.markdown(
        f"**Submitting locks {period}:** nothing dated in it can be saved afterwards "
        "unless an administrator reopens it."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {"Records dated in the quarter": kind, "Count": count}
                for kind, count in summary.locked.items()
            ]
        ),
        hide_index=True,
    )
    reasons: dict[str, str] = {}
    if summary.missing:
        st.markdown("**Still missing** — give a short reason for each (kept with the submission):")
        names = dict(zip(dataset["indicators"]["key"], dataset["indicators"]["name"],
                         strict=True))
        for item in summary.missing:
            # Indicators by name, roles in words: never a key.
            shown = [str(names.get(m, m)) if item.key == "values" else m.replace("_", " ")
                     for m in item.missing]
            what = f": {', '.join(shown)}" if shown else ""
            reasons[item.key] = st.text_input(
                plain(f"Why is \u201c{item.label}\u201d missing{what}?"),
                key=key("submit", f"reason_{item.key}"),
            )
    else:
        st.markdown("Nothing on the checklist is missing.")
    confirmed = st.checkbox(
        f"I have checked the summary and want to submit {period}",
        key=key("submit", "confirm"),
    )
    message_slot("submit")
    if st.button(f"Submit {period}", key=key("submit", "go"), type="primary"):
        attempt(
            lambda: submit_with_reasons(
                engine, summary=summary, actor=actor, reasons=reasons, confirmed=confirmed
            ),
            done=f"{period} submitted and locked.",
            where="submit",
            reset=["submit"],
        )
