"""Cached, scoped loaders: the only functions that read the database or run the analysis for a
page.

Every loader is an `st.cache_data` function keyed on
- the database URL (two databases never share an entry),
- the acting user (`ActorKey`); the scope is decided inside the loader by `tracker.scope`, so
  one user's data is never served to another,
- the data version: the highest audit-log id. Every write adds an audit entry in its own
  transaction, so after any write (an import, a correction, a logged or reopened quarter) the
  version changes and the next page run reads afresh,
- and, for analysis, the analysis parameters (`ParamsKey`).

`st.cache_data` hands out a copy of what it caches, so what pages call on every run returns
small objects (a summary, one institution's data and analysis, a list of names); the whole
data set and the whole analysis are only read by other loaders, when those miss.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import select

from tracker import models
from tracker.access import Actor
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.results import AnalysisResult
from tracker.analysis.run import analyse
from tracker.analysis.stories import Story, institution_stories
from tracker.analysis.timeline import Timeline, institution_timeline
from tracker.dashboard.sample_notice import is_sample_data
from tracker.dashboard.timeline.phase_history import phase_dates, phase_stretches, phases_over_time
from tracker.dashboard.timeline.timeline_panels import timeline_chart
from tracker.dataset import Dataset
from tracker.db import get_engine, read_session
from tracker.queries import read_table
from tracker.scope import (
    readable_dataset,
    readable_dataset_and_quarters,
    readable_institutions,
    readable_portfolios,
)
from tracker.store.portfolio import stored_portfolio

# (name, role, institutions, portfolios, local): an Actor as a stable, hashable cache key.
ActorKey = tuple[str, str, tuple[str, ...], tuple[str, ...], bool]
# (window_months, indicator_tolerance, as_of ISO date or "", parent_turnovers)
ParamsKey = tuple[int, float, str, bool]


def actor_key(actor: Actor) -> ActorKey:
    return (
        actor.name,
        actor.role,
        tuple(sorted(actor.institutions)),
        tuple(sorted(actor.portfolios)),
        actor.local,
    )


def actor_from_key(key: ActorKey) -> Actor:
    name, role, institutions, portfolios, local = key
    return Actor(
        name=name,
        role=role,
        institutions=frozenset(institutions),
        portfolios=frozenset(portfolios),
        local=local,
    )


def params_key(params: Parameters) -> ParamsKey:
    as_of = params.as_of.isoformat() if params.as_of else ""
    return (params.window_months, params.indicator_tolerance, as_of, params.parent_turnovers)


def params_from_key(key: ParamsKey) -> Parameters:
    window, tolerance, as_of, parent_turnovers = key
    return Parameters(
        window_months=window,
        indicator_tolerance=tolerance,
        as_of=dt.date.fromisoformat(as_of) if as_of else None,
        parent_turnovers=parent_turnovers,
    )


@st.cache_data(show_spinner="Reading the database…", max_entries=8)
def cached_dataset(url: str, actor: ActorKey, version: int) -> Dataset:
    """Everything `actor` may read, as of data version `version`."""
    del version  # part of the cache key only
    with read_session(get_engine(url)) as session:
        return readable_dataset(session, actor_from_key(actor))


@st.cache_data(show_spinner="Reading the institution's records…", max_entries=64)
def cached_institution_dataset(
    url: str, actor: ActorKey, version: int, institution: str
) -> Dataset:
    """One institution's records (refused unless `actor` may read it), read by one query per
    table rather than cut out of the whole data set: quick at any scale."""
    del version  # part of the cache key only
    with read_session(get_engine(url)) as session:
        return readable_dataset_and_quarters(
            session, actor_from_key(actor), institution=institution
        )[0]


@st.cache_data(show_spinner=False, max_entries=32)
def cached_institutions(url: str, actor: ActorKey, version: int) -> pd.DataFrame:
    """The readable institutions (key, name, kind, notes), sorted by name then key.

    Read on their own (not from the whole data set), so that pages about one institution
    never wait for everything to be read.
    """
    del version  # part of the cache key only
    with read_session(get_engine(url)) as session:
        scope = readable_institutions(session, actor_from_key(actor))
        frame = read_table(session, "institutions", institutions=scope)
    columns = ["key", "name", "kind", "notes"]
    return frame[columns].sort_values(["name", "key"], kind="stable").reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_portfolio_list(url: str, actor: ActorKey, version: int) -> pd.DataFrame:
    """The readable portfolios: one row per key, with its display name."""
    del version  # part of the cache key only
    reader = actor_from_key(actor)
    with read_session(get_engine(url)) as session:
        scope = readable_institutions(session, reader)
        rows = read_table(session, "portfolios", institutions=scope)
    allowed = readable_portfolios(reader)
    if allowed is not None:
        rows = rows[rows["portfolio"].isin(allowed)]
    first = rows.drop_duplicates("portfolio")[["portfolio", "name"]]
    return first.sort_values("portfolio").reset_index(drop=True)


@st.cache_data(show_spinner="Analysing persistence through turnover…", max_entries=8)
def cached_analysis(url: str, actor: ActorKey, version: int, params: ParamsKey) -> AnalysisResult:
    """`tracker.analysis.run.analyse` over everything `actor` may read."""
    return analyse(cached_dataset(url, actor, version), params_from_key(params))


@st.cache_data(show_spinner="Summarising the portfolio…", max_entries=32)
def cached_portfolio(
    url: str, actor: ActorKey, version: int, params: ParamsKey, portfolio: str | None
) -> PortfolioSummary:
    """The portfolio summary (every readable institution when `portfolio` is None), from the
    results store: after a write, only the institutions it touched are analysed again, and
    the summary is a sum over the stored parts of the others (`tracker.store.portfolio`)."""
    del version  # part of the cache key only
    return stored_portfolio(
        get_engine(url), actor_from_key(actor), params_from_key(params), portfolio
    )


@st.cache_data(show_spinner="Analysing the institution…", max_entries=64)
def cached_institution_analysis(
    url: str, actor: ActorKey, version: int, params: ParamsKey, institution: str
) -> AnalysisResult:
    """One institution's analysis, with its segmented regressions (supporting evidence)."""
    dataset = cached_institution_dataset(url, actor, version, institution)
    return analyse(dataset, params_from_key(params), include_its=True)


@st.cache_data(show_spinner="Assembling the contribution story…", max_entries=64)
def cached_stories(
    url: str, actor: ActorKey, version: int, params: ParamsKey, institution: str
) -> list[Story]:
    """The institution's story, then one story per contribution claim."""
    dataset = cached_institution_dataset(url, actor, version, institution)
    result = cached_institution_analysis(url, actor, version, params, institution)
    return institution_stories(dataset, result, institution)


@st.cache_data(show_spinner="Working out the phase at each year end…", max_entries=64)
def cached_timeline(
    url: str, actor: ActorKey, version: int, params: ParamsKey, institution: str
) -> Timeline:
    """The institution's timeline frames with its phase as of every year end."""
    dataset = cached_institution_dataset(url, actor, version, institution)
    result = cached_institution_analysis(url, actor, version, params, institution)
    timeline = institution_timeline(dataset, result.institution(institution))
    if timeline.start is None or timeline.as_of is None:
        return timeline
    dates = phase_dates(timeline.start, timeline.as_of)
    phases = phases_over_time(dataset, institution, params_from_key(params), dates)
    return timeline.with_phases(phase_stretches(dates, phases))


@st.cache_data(show_spinner="Drawing the timeline…", max_entries=64)
def cached_timeline_spec(
    url: str, actor: ActorKey, version: int, params: ParamsKey, institution: str
) -> dict[str, Any]:
    """The timeline chart as a Vega-Lite spec (building it costs about a second: kept)."""
    return timeline_chart(cached_timeline(url, actor, version, params, institution)).to_dict()


@st.cache_data(show_spinner=False, max_entries=32)
def cached_is_sample(url: str, actor: ActorKey, version: int) -> bool:
    """Whether to show the illustrative-sample notice (`tracker.dashboard.sample_notice`)."""
    with read_session(get_engine(url)) as session:
        details: list[object] = list(session.scalars(
            select(models.AuditEntry.detail).where(models.AuditEntry.action == "import")
        ))
    notes = cached_institutions(url, actor, version)["notes"]
    return is_sample_data(notes, details)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_quarter_badges(url: str, actor: ActorKey, version: int, today: str) -> dict[str, str]:
    """institution → its worst state on the due board (`due_board.staleness`), for the
    institutions `actor` may read, as of `today` (deadlines pass by themselves)."""
    del version  # part of the cache key only
    from tracker.writes.quarter.due_board import board_items, staleness

    with read_session(get_engine(url)) as session:
        scope = readable_institutions(session, actor_from_key(actor))
        items = board_items(session, institutions=scope, today=dt.date.fromisoformat(today))
    return staleness(items)


AUDIT_COLUMNS = ("id", "at", "actor", "action", "table", "record", "reason")


@st.cache_data(show_spinner=False, max_entries=8)
def cached_audit(url: str, version: int, limit: int) -> pd.DataFrame:
    """The latest `limit` audit entries, newest first (the page shows them to administrators)."""
    del version  # part of the cache key only
    entry = models.AuditEntry
    stmt = (
        select(
            entry.id, entry.at, entry.actor, entry.action, entry.table_name,
            entry.record_key, entry.reason,
        )
        .order_by(entry.id.desc())
        .limit(limit)
    )
    with read_session(get_engine(url)) as session:
        rows = session.execute(stmt).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=list(AUDIT_COLUMNS))
    # An empty field reads as empty, never as the word "None".
    text = [c for c in frame.columns if frame[c].dtype == object]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), "")
    return frame


@st.cache_data(show_spinner=False, max_entries=8)
def cached_rows_with_retracted(url: str, version: int, table: str) -> pd.DataFrame:
    """Every stored row of a workbook table, retracted ones included (`_id`, `_version`,
    `_retracted` columns): what the administrator's "Retract" and "Restore" choose from."""
    del version  # part of the cache key only
    with read_session(get_engine(url)) as session:
        return read_table(session, table, with_ids=True, include_retracted=True)
