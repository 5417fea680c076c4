"""How pages get their data: the database's state, and cached, scoped loaders.

Pages never open a session themselves. They call `page_data()` for a `PageData` and ask it for
the data set, the analysis, the portfolio summary or the stories they show. Every loader is an
`st.cache_data` function keyed on
- the database URL (two databases never share a cache entry),
- the acting user (`ActorKey`: the scope is decided by `tracker.scope.readable_dataset`
  inside the loader, so one user's cached data is never served to another),
- the data version: the highest audit-log id. Every write adds an audit entry in its own
  transaction, so any write (an import, a correction, a logged quarter, a reopened quarter)
  changes the version and the next page run reads afresh,
- and, for analysis, the analysis parameters.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from tracker import models
from tracker.access import Actor
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary, portfolio_summary
from tracker.analysis.results import AnalysisResult
from tracker.analysis.run import analyse
from tracker.analysis.stories import Story, institution_stories
from tracker.config import database_url, sample_data_path
from tracker.dashboard.phase_history import phase_dates, phase_stretches, phases_over_time
from tracker.dashboard.timeline_data import Timeline, institution_timeline
from tracker.dataset import Dataset
from tracker.db import get_engine, read_session
from tracker.migrate import current_revision, head_revision
from tracker.scope import readable_dataset

# (name, role, institutions, portfolios, local): an Actor as a stable, hashable cache key.
ActorKey = tuple[str, str, tuple[str, ...], tuple[str, ...], bool]
# (window_months, indicator_tolerance, as_of ISO date or "")
ParamsKey = tuple[int, float, str]

# Words with which the sample workbook marks every record it invented (sample_data/README).
SAMPLE_MARKERS = re.compile(r"\b(illustrative|fictional)\b", re.IGNORECASE)
SAMPLE_NOTICE = (
    "Illustrative sample data: the four cases of the article with invented dates, values and "
    "decisions, plus fictional institutions. Do not read it as evidence about real places."
)


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
    return (params.window_months, params.indicator_tolerance, as_of)


def params_from_key(key: ParamsKey) -> Parameters:
    window, tolerance, as_of = key
    return Parameters(
        window_months=window,
        indicator_tolerance=tolerance,
        as_of=dt.date.fromisoformat(as_of) if as_of else None,
    )


@dataclass(frozen=True)
class DatabaseStatus:
    """What a page needs to know before reading: is there a schema, any data, which version."""

    url: str
    where: str  # the URL without its password, for messages
    schema_ready: bool
    problem: str | None  # why the database cannot be read yet, in words
    version: int  # the highest audit-log id (0 when nothing was ever written)
    institutions: int  # institutions stored (all of them, whoever is reading)

    @property
    def empty(self) -> bool:
        return self.schema_ready and self.institutions == 0


@functools.lru_cache(maxsize=1)
def _head_revision() -> str | None:
    # Reading the migration scripts costs tens of milliseconds; they do not change while running.
    return head_revision()


def database_status(url: str | None = None) -> DatabaseStatus:
    """The state of the configured database (TRACKER_DATABASE_URL or the embedded file).

    Three small queries, run on every page run: they decide whether cached data is stale.
    Never raises for a missing or unreachable database: the problem is returned in words.
    """
    resolved = database_url(url)
    engine = get_engine(resolved)
    where = engine.url.render_as_string(hide_password=True)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as error:
        problem = f"The database {where} cannot be opened: {error.__class__.__name__}."
        return DatabaseStatus(resolved, where, False, problem, 0, 0)
    head = _head_revision()
    if current != head:
        state = "has no tracker schema yet" if current is None else f"is at revision {current}"
        problem = f"The database {where} {state}; this version of tracker needs {head}."
        return DatabaseStatus(resolved, where, False, problem, 0, 0)
    with read_session(engine) as session:
        version = session.scalar(select(func.max(models.AuditEntry.id))) or 0
        count = session.scalar(select(func.count(models.Institution.id))) or 0
    return DatabaseStatus(resolved, where, True, None, int(version), int(count))


@st.cache_data(show_spinner="Reading the database…", max_entries=32)
def cached_dataset(url: str, actor: ActorKey, version: int) -> Dataset:
    """Everything `actor` may read, as of data version `version`."""
    del version  # part of the cache key only
    with read_session(get_engine(url)) as session:
        return readable_dataset(session, actor_from_key(actor))


@st.cache_data(show_spinner="Analysing persistence through turnover…", max_entries=32)
def cached_analysis(url: str, actor: ActorKey, version: int, params: ParamsKey) -> AnalysisResult:
    """`tracker.analysis.run.analyse` over everything `actor` may read."""
    return analyse(cached_dataset(url, actor, version), params_from_key(params))


@st.cache_data(show_spinner="Summarising the portfolio…", max_entries=32)
def cached_portfolio(
    url: str, actor: ActorKey, version: int, params: ParamsKey, portfolio: str | None
) -> PortfolioSummary:
    """The portfolio summary (all readable institutions when `portfolio` is None)."""
    dataset = cached_dataset(url, actor, version)
    result = cached_analysis(url, actor, version, params)
    return portfolio_summary(dataset, result, portfolio=portfolio)


@st.cache_data(show_spinner="Assembling the contribution story…", max_entries=64)
def cached_stories(
    url: str, actor: ActorKey, version: int, params: ParamsKey, institution: str
) -> list[Story]:
    """The institution's contribution stories: one per claim, or one for the institution."""
    dataset = cached_dataset(url, actor, version).institutions_only([institution])
    result = cached_institution_analysis(url, actor, version, params, institution)
    return institution_stories(dataset, result, institution)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_institution_analysis(
    url: str, actor: ActorKey, version: int, params: ParamsKey, institution: str
) -> AnalysisResult:
    """One institution's analysis, with segmented regressions (slow at scale: one at a time)."""
    dataset = cached_dataset(url, actor, version).institutions_only([institution])
    return analyse(dataset, params_from_key(params), include_its=True)


@st.cache_data(show_spinner="Working out the phase at each year end…", max_entries=64)
def cached_timeline(
    url: str, actor: ActorKey, version: int, params: ParamsKey, institution: str
) -> Timeline:
    """The institution's timeline frames with its phase as of every year end."""
    dataset = cached_dataset(url, actor, version)
    result = cached_institution_analysis(url, actor, version, params, institution)
    timeline = institution_timeline(dataset, result.institution(institution))
    if timeline.start is None or timeline.as_of is None:
        return timeline
    dates = phase_dates(timeline.start, timeline.as_of)
    phases = phases_over_time(dataset, institution, params_from_key(params), dates)
    return timeline.with_phases(phase_stretches(dates, phases))


AUDIT_COLUMNS = ("id", "at", "actor", "action", "table", "record", "reason")


@st.cache_data(show_spinner=False, max_entries=8)
def cached_audit(url: str, version: int, limit: int) -> pd.DataFrame:
    """The latest `limit` audit entries, newest first (for administrators only)."""
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
    return pd.DataFrame([tuple(row) for row in rows], columns=list(AUDIT_COLUMNS))


@functools.lru_cache(maxsize=4)
def _sample_fingerprint(folder: str) -> str | None:
    from tracker.writes.importer import fingerprint

    path = Path(folder)
    return fingerprint(path) if path.is_dir() else None


def _imports_of_sample(details: Sequence[object]) -> bool:
    sample = sample_data_path().resolve()
    for detail in details:
        if not isinstance(detail, dict):
            continue
        source = detail.get("source")
        if source and Path(str(source)).resolve() == sample:
            return True
        if detail.get("sha256") and detail.get("sha256") == _sample_fingerprint(str(sample)):
            return True
    return False


@st.cache_data(show_spinner=False, max_entries=32)
def cached_is_sample(url: str, actor: ActorKey, version: int) -> bool:
    """Whether the illustrative sample is in this database (see `is_sample_data`)."""
    with read_session(get_engine(url)) as session:
        details: list[object] = list(
            session.scalars(
                select(models.AuditEntry.detail).where(models.AuditEntry.action == "import")
            )
        )
    return is_sample_data(cached_dataset(url, actor, version), details)


def is_sample_data(dataset: Dataset, import_details: Sequence[object]) -> bool:
    """Whether the data carries the illustrative sample, by either of two rules.

    1. The audit log records an import of the sample workbook: its source is the sample
       folder (`TRACKER_SAMPLE_DATA`, by default `sample_data/`) or its fingerprint is the
       sample's. This holds whoever reads, and whatever they may see.
    2. An institution's notes say it is "Illustrative" or "Fictional": the sample marks every
       invented institution so, and the words travel with the data through export and import.
    """
    if _imports_of_sample(import_details):
        return True
    notes = dataset["institutions"]["notes"].dropna().astype(str)
    return bool(notes.map(lambda text: bool(SAMPLE_MARKERS.search(text))).any())


@dataclass(frozen=True)
class PageData:
    """The acting user's view of the database, with cached accessors for what pages show."""

    actor: Actor
    status: DatabaseStatus
    params: Parameters

    @property
    def _key(self) -> tuple[str, ActorKey, int]:
        return (self.status.url, actor_key(self.actor), self.status.version)

    def dataset(self) -> Dataset:
        return cached_dataset(*self._key)

    def analysis(self) -> AnalysisResult:
        return cached_analysis(*self._key, params_key(self.params))

    def institution_analysis(self, institution: str) -> AnalysisResult:
        return cached_institution_analysis(*self._key, params_key(self.params), institution)

    def portfolio(self, portfolio: str | None = None) -> PortfolioSummary:
        return cached_portfolio(*self._key, params_key(self.params), portfolio)

    def stories(self, institution: str) -> list[Story]:
        return cached_stories(*self._key, params_key(self.params), institution)

    def timeline(self, institution: str) -> Timeline:
        return cached_timeline(*self._key, params_key(self.params), institution)

    def is_sample(self) -> bool:
        return cached_is_sample(*self._key)

    def institutions(self) -> pd.DataFrame:
        """The readable institutions (key, name, kind), sorted by name."""
        frame = self.dataset()["institutions"][["key", "name", "kind"]]
        return frame.sort_values(["name", "key"], kind="stable").reset_index(drop=True)

    def portfolios(self) -> pd.DataFrame:
        """The readable portfolios: one row per key with its display name."""
        rows = self.dataset()["portfolios"]
        return (
            rows.drop_duplicates("portfolio")[["portfolio", "name"]]
            .sort_values("portfolio")
            .reset_index(drop=True)
        )

