"""Targets against actuals, and how up to date each institution's quarters are, for the
timeline, story and portfolio pages (each calls one function here).

The verdicts come from `tracker.analysis.targets` (met / not met / not yet due, each with its
symbol and word, never as an attribution); the staleness badges from the due board
(`tracker.writes.quarter.due_board.staleness`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.targets import target_results
from tracker.dashboard.page_data import PageData
from tracker.db import get_engine, read_session

BADGES = {
    "overdue": "⚠ overdue",
    "returned for corrections": "↩ returned",
    "awaiting review": "◷ awaiting review",
    "due": "◔ due",
}
UP_TO_DATE = "✔ up to date"


def _as_of(data: PageData) -> dt.date:
    return data.params.as_of or dt.date.today()


def show_targets(data: PageData, institution: str) -> None:
    """The institution's targets: each with its verdict (symbol and word) and what was
    recorded against it."""
    results = target_results(data.institution_dataset(institution), _as_of(data))
    st.subheader("Targets", anchor=False)
    if results.empty:
        st.caption("No targets recorded for this institution (targets.csv, "
                   "persistence_targets.csv).")
        return
    st.dataframe(
        pd.DataFrame({
            "verdict": results["symbol"] + " " + results["word"],
            "target": results["sentence"].str.split(": ", n=1).str[1],
            "comment": results["comment"],
        }),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"As of {_as_of(data).isoformat()}. What was recorded against what was planned; "
               "a target says nothing about what caused the result.")


def show_portfolio_targets(data: PageData, summary: PortfolioSummary) -> None:
    """Per institution: targets met, not met and not yet due (counted with the portfolio's
    stored results), and a staleness badge (overdue, returned, awaiting review, due, or up
    to date)."""
    keys = list(summary.institutions["institution"])
    if not keys:
        return
    badges = data.quarter_badges()
    counts = summary.targets.set_index("institution").reindex(keys, fill_value=0)
    table = pd.DataFrame({
        "institution": keys,
        "quarters": [BADGES.get(badges.get(key, ""), UP_TO_DATE) for key in keys],
        "✔ met": counts["met"].to_numpy(dtype="int64"),
        "✘ not met": counts["not_met"].to_numpy(dtype="int64"),
        "◷ not yet due": counts["not_yet_due"].to_numpy(dtype="int64"),
    })
    st.subheader("Targets and quarters", anchor=False)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption("Targets: actual against plan (never an attribution). Quarters: overdue past "
               "the submission deadline, returned for corrections, awaiting review, or up to "
               "date.")
    if data.actor.role == "funder":
        show_quarters_used(data)


def quarters_used(data: PageData, institution: str | None = None) -> list[str]:
    """For a funder: which quarters the pages use (approved ones) and which were left out and
    why (of one institution, or of all readable ones); nothing for other roles."""
    from tracker.scope import readable_dataset_and_quarters

    if data.actor.role != "funder":
        return []
    with read_session(get_engine(data.status.url)) as session:
        _, use = readable_dataset_and_quarters(session, data.actor, institution=institution)
    return [] if use is None else use.lines()


def show_quarters_used(data: PageData, institution: str | None = None) -> None:
    """For a funder: which quarters the pages use (approved ones) and which were left out."""
    lines = quarters_used(data, institution)
    if lines:
        st.caption(" ".join(lines))
