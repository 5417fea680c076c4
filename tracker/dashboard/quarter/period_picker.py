"""Which quarter *Log a quarter* shows: a chooser that names each quarter's state (returned,
submitted, approved, open, not ended yet), and the quarter the page lands on — a quarter returned
for corrections first, with a banner that says so, else the earliest open quarter that misses a
value, else the current quarter."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.dashboard.page_data import PageData
from tracker.dashboard.page_opening import CHOSEN_KEY
from tracker.dashboard.quarter.quarter_page import DEFAULT_LOOKBACK, PERIOD_KEY, RECENT_QUARTERS
from tracker.dashboard.text import plain
from tracker.db import read_session
from tracker.periods import period_end, period_from_index, period_index
from tracker.writes.quarter.checklist import reported_indicators
from tracker.writes.quarter.locks import when_text
from tracker.writes.quarter.review import quarter_states
from tracker.writes.quarter.state import current_period, quarter_state

# The state of each quarter as the chooser names it.
STATE_WORDS = {
    "returned": "returned for corrections",
    "submitted": "submitted, awaiting review",
    "approved": "approved",
    "open": "open",
}


def has_ended(period: str, today: dt.date | None = None) -> bool:
    """Whether the quarter's last day is past (only an ended quarter is submitted)."""
    return period_end(period) < (today or dt.date.today())


def period_label(period: str, state: str) -> str:
    """A quarter in the chooser: "2026Q3 · returned for corrections"."""
    if state == "open" and not has_ended(period):
        return f"{period} · open, ends {period_end(period):%d %b %Y}"
    return f"{period} · {STATE_WORDS.get(state, state)}"


def returned_quarters(engine: Engine, actor: Actor) -> list[tuple[str, str]]:
    """(institution, quarter) of every quarter returned for corrections that `actor` writes
    for, oldest first."""
    scope = None if actor.is_admin else sorted(actor.institutions)
    with read_session(engine) as session:
        states = quarter_states(session, institutions=scope)
    returned = [key for key, state in states.items() if state == "returned"]
    return sorted(returned, key=lambda pair: (period_index(pair[1]), pair[0]))


def land_on_returned_institution(engine: Engine, actor: Actor) -> None:
    """On arrival (no institution in the address, none chosen yet), open on the institution of
    the oldest returned quarter: what needs action first."""
    if st.query_params.get("institution") or CHOSEN_KEY in st.session_state:
        return
    returned = returned_quarters(engine, actor)
    if returned:
        st.session_state[CHOSEN_KEY] = returned[0][0]


def _missing_values(data: PageData, institution: str, period: str) -> bool:
    dataset = data.institution_dataset(institution)
    values = dataset["indicator_values"]
    entered = set(
        values[(values["institution"] == institution) & (values["period"] == period)]["indicator"]
    )
    wanted = reported_indicators(dataset, institution=institution, period=period)
    return any(indicator not in entered for indicator in wanted)


def default_period(
    data: PageData, institution: str, states: dict[str, str]
) -> str:
    """The oldest quarter returned for corrections; else the earliest open quarter (of the last
    `DEFAULT_LOOKBACK`, up to the current one) that misses an indicator value; else the
    current quarter."""
    returned = sorted((p for p, s in states.items() if s == "returned"), key=period_index)
    if returned:
        return returned[0]
    latest = period_index(current_period())
    for back in range(DEFAULT_LOOKBACK - 1, -1, -1):
        period = period_from_index(latest - back)
        if states.get(period, "open") == "open" and _missing_values(data, institution, period):
            return period
    return period_from_index(latest)


def choose_period(data: PageData, engine: Engine, institution: str) -> str:
    """A chooser over the current quarter, the ones before it and those with data, each with its
    state; it opens on the address's quarter, else `default_period`."""
    latest = period_index(current_period())
    periods = {period_from_index(latest - i) for i in range(RECENT_QUARTERS + 1)}
    dataset = data.institution_dataset(institution)
    for table in ("indicator_values", "observations"):
        frame = dataset[table]
        periods |= set(frame[frame["institution"] == institution]["period"])
    with read_session(engine) as session:
        stored = quarter_states(session, institutions=[institution])
    states = {period: state for (_, period), state in stored.items()}
    periods |= {p for p, s in states.items() if s == "returned"}
    options = sorted(periods, key=period_index, reverse=True)
    chosen_for = st.session_state.get("lq_period_institution")
    wanted = st.query_params.get("period")
    # The address wins when it names another quarter than the one this page last wrote there
    # (a deep link, a bookmark); a change of the chooser wins over the address it replaces.
    from_address = wanted in options and wanted != st.session_state.get("lq_period_written")
    if PERIOD_KEY not in st.session_state or chosen_for != institution or from_address:
        st.session_state[PERIOD_KEY] = (
            wanted if wanted in options else default_period(data, institution, states)
        )
        st.session_state["lq_period_institution"] = institution
    elif st.session_state[PERIOD_KEY] in options:
        # Sent again as set by the page: when a quarter's state (its label) changes, the
        # browser would otherwise fall back to the first option.
        st.session_state[PERIOD_KEY] = st.session_state[PERIOD_KEY]
    choice = str(st.selectbox(
        "Quarter", options, key=PERIOD_KEY,
        format_func=lambda p: period_label(p, states.get(p, "open")),
    ))
    st.query_params["period"] = choice
    st.session_state["lq_period_written"] = choice
    return choice


def returned_banner(engine: Engine, actor: Actor, names: dict[str, str], shown: str) -> None:
    """Say, above everything, which quarters were returned for corrections and by whom (the
    one shown first, with the reviewer's comment)."""
    returned = returned_quarters(engine, actor)
    if not returned:
        return
    lines = []
    with read_session(engine) as session:
        for institution, period in returned:
            state = quarter_state(session, institution=institution, period=period)
            where = f"{names.get(institution, institution)} {period}"
            who = (f" by {state.returned_by} at {when_text(state.returned_at)}"
                   if state.returned_by and state.returned_at else "")
            here = " (shown below)" if (institution, period) == (shown, st.session_state.get(
                PERIOD_KEY)) else " (choose it in the Institution and Quarter pickers)"
            lines.append(f"- **{plain(where)}**{plain(who)}{here}: "
                         f"\u201c{plain(state.return_reason or '')}\u201d")
    st.error(
        f"**{len(returned)} quarter(s) returned for corrections: correct and submit again.**\n\n"
        + "\n".join(lines),
        icon=":material/assignment_return:",
    )
