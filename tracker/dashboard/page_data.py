"""How pages get their data: the database's state, then `PageData`, the acting user's cached
view of the database (the loaders behind it are in `tracker.dashboard.loaders`).

Pages never open a session or run the analysis themselves: `frame.open_page` gives them a
`PageData` and they ask it for what they show.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from tracker import models
from tracker.access import Actor
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.results import AnalysisResult
from tracker.analysis.stories import Story
from tracker.analysis.timeline import Timeline
from tracker.config import database_url
from tracker.dashboard import loaders
from tracker.dashboard.loaders import ActorKey, actor_key, params_key
from tracker.dashboard.sample_notice import SAMPLE_NOTICE
from tracker.dataset import Dataset
from tracker.db import get_engine, read_session
from tracker.migrate import current_revision, head_revision

__all__ = ["SAMPLE_NOTICE", "DatabaseStatus", "PageData", "database_status"]


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
    # Reading the migration scripts takes tens of milliseconds; they do not change while running.
    return head_revision()


def database_status(url: str | None = None) -> DatabaseStatus:
    """The state of the configured database (TRACKER_DATABASE_URL or the embedded file).

    A few small queries on every page run: they decide whether cached data is stale. Never
    raises for a missing or unreachable database: the problem is returned in words.
    """
    resolved = database_url(url)
    engine = get_engine(resolved)
    where = engine.url.render_as_string(hide_password=True)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as error:
        problem = f"The database {where} cannot be opened ({error.__class__.__name__})."
        return DatabaseStatus(resolved, where, False, problem, 0, 0)
    head = _head_revision()
    if current != head:
        state = "has no tracker schema yet" if current is None else f"is at revision {current}"
        problem = f"The database {where} {state}; this version of tracker needs {head}."
        return DatabaseStatus(resolved, where, False, problem, 0, 0)
    with read_session(engine) as session:
        # Logins, logouts and account changes are audited too, but change no data: leaving them
        # out keeps every cached analysis warm when someone logs in.
        entries = models.AuditEntry
        version = (
            session.scalar(
                select(func.max(entries.id)).where(
                    or_(entries.table_name.is_(None), entries.table_name != "users")
                )
            )
            or 0
        )
        count = session.scalar(select(func.count(models.Institution.id))) or 0
    return DatabaseStatus(resolved, where, True, None, int(version), int(count))


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
        """Everything the actor may read. Large at scale: prefer `institution_dataset`."""
        return loaders.cached_dataset(*self._key)

    def institution_dataset(self, institution: str) -> Dataset:
        return loaders.cached_institution_dataset(*self._key, institution)

    def institutions(self) -> pd.DataFrame:
        """The readable institutions (key, name, kind, notes), sorted by name."""
        return loaders.cached_institutions(*self._key)

    def portfolios(self) -> pd.DataFrame:
        """The readable portfolios: one row per key with its display name."""
        return loaders.cached_portfolio_list(*self._key)

    def analysis(self) -> AnalysisResult:
        return loaders.cached_analysis(*self._key, params_key(self.params))

    def institution_analysis(self, institution: str) -> AnalysisResult:
        return loaders.cached_institution_analysis(
            *self._key, params_key(self.params), institution
        )

    def portfolio(self, portfolio: str | None = None) -> PortfolioSummary:
        return loaders.cached_portfolio(*self._key, params_key(self.params), portfolio)

    def quarter_badges(self) -> dict[str, str]:
        """institution → its worst state on the due board today (none: up to date)."""
        return loaders.cached_quarter_badges(*self._key, dt.date.today().isoformat())

    def stories(self, institution: str) -> list[Story]:
        return loaders.cached_stories(*self._key, params_key(self.params), institution)

    def timeline(self, institution: str) -> Timeline:
        return loaders.cached_timeline(*self._key, params_key(self.params), institution)

    def timeline_spec(self, institution: str) -> dict[str, Any]:
        """The timeline chart (`timeline_panels.timeline_chart`) as a Vega-Lite spec."""
        return loaders.cached_timeline_spec(*self._key, params_key(self.params), institution)

    def is_sample(self) -> bool:
        return loaders.cached_is_sample(*self._key)
