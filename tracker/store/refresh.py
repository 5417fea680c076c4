"""Refreshing the results store: recompute the stale or missing results, and only those.

A stored result is fresh while its `data_version` equals the institution's data version
(raised by every write that touches the institution, `tracker.writes.history.staleness`) and its
`method_version` equals `ANALYSIS_METHOD_VERSION`. Refreshing works in batches of
institutions, each in one transaction that
1. claims the batch: on PostgreSQL a transaction-scoped advisory lock per institution and
   parameter set, taken with `pg_try_advisory_xact_lock` so that a batch another refresher
   (a dashboard, `tracker results refresh`, a second cron job) is working on is skipped, not
   waited for; on SQLite the write lock (`BEGIN IMMEDIATE`), which admits one refresher at a
   time;
2. reads again which of the claimed results are still stale (another refresher may have
   just finished them), and the data versions, before the records;
3. reads those institutions' records only, analyses them, and writes their results tagged
   with the data versions read in step 2 (a write that commits meanwhile leaves them stale,
   so they are recomputed next time: never a result newer than its tag says).

The institutions skipped in step 1 are then waited for (a blocking advisory lock) and
re-checked, so that a reader returns only once every result it asked for is fresh, and no
institution is analysed twice for the same data.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, and_, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker import models
from tracker.analysis.params import ANALYSIS_METHOD_VERSION, Parameters
from tracker.db import read_session, write_session
from tracker.store.documents import (
    APPROVED_AND_SUBMITTED,
    SHARED,
    encode,
    institution_document,
    institution_summary,
    parameters_key,
)

# Institutions analysed together: bounds the memory of a refresh at any scale (about 0.5 GiB
# at 1,000 generated institutions of 10 years; fewer, larger batches cost less per result).
BATCH_INSTITUTIONS = 1000
_IN_BATCH = 500


@dataclass(frozen=True)
class ResultState:
    """Where one institution's stored result stands against its records."""

    institution_id: int
    key: str
    data_version: int
    stored_data_version: int | None
    stored_method_version: int | None
    computed_at: dt.datetime | None
    valid_until: dt.date | None = None
    today: dt.date | None = None  # when the state was read (default: the system date)

    @property
    def stale(self) -> bool:
        """Missing, made from older records, made by another analysis method, or past the day
        on which it falls due by itself (a planned date came to pass, a target fell due)."""
        today = self.today or dt.date.today()
        return (
            self.stored_data_version != self.data_version
            or self.stored_method_version != ANALYSIS_METHOD_VERSION
            or (self.valid_until is not None and self.valid_until <= today)
        )


@dataclass
class RefreshReport:
    """What a refresh did: results computed, found fresh, and finished by someone else."""

    computed: int = 0
    fresh: int = 0
    by_others: int = 0

    def add(self, other: RefreshReport) -> None:
        self.computed += other.computed
        self.fresh += other.fresh
        self.by_others += other.by_others


Progress = Callable[[int], None]


def _chunks(values: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def result_states(
    session: Session, params_key: str, institutions: Collection[str] | None = None
) -> list[ResultState]:
    """The state of each institution's stored result (all institutions when None), by key."""
    inst, version, stored = models.Institution, models.AnalysisDataVersion, models.StoredAnalysis
    stmt = (
        select(
            inst.id,
            inst.key,
            func.coalesce(version.data_version, 0),
            stored.data_version,
            stored.method_version,
            stored.computed_at,
            stored.valid_until,
        )
        .outerjoin(version, version.institution_id == inst.id)
        .outerjoin(stored, and_(stored.institution_id == inst.id, stored.params_key == params_key))
        .order_by(inst.key)
    )
    if institutions is None:
        rows = session.execute(stmt).all()
    else:
        rows = []
        for chunk in _chunks(sorted(set(institutions)), _IN_BATCH):
            rows += session.execute(stmt.where(inst.key.in_(chunk))).all()
        rows.sort(key=lambda row: row[1])
    return [ResultState(*row) for row in rows]


def _lock_space(params_key: str) -> int:
    """The first advisory-lock key of a parameter set (a signed 32-bit integer)."""
    return zlib.crc32(params_key.encode()) - 2**31


def _claim(
    session: Session, params_key: str, states: list[ResultState], *, wait: bool
) -> list[str]:
    """The keys of the institutions this transaction now holds (see the module docstring)."""
    if session.get_bind().dialect.name != "postgresql":
        return [state.key for state in states]  # BEGIN IMMEDIATE already admits only us
    space = _lock_space(params_key)
    if not wait:
        # One round trip for the whole batch: each lock is tried once, none is waited for.
        ids = [state.institution_id for state in states]
        got = set(
            session.scalars(
                text(
                    "SELECT id FROM unnest(CAST(:ids AS integer[])) AS claimed(id) "
                    "WHERE pg_try_advisory_xact_lock(:space, id)"
                ),
                {"space": space, "ids": ids},
            )
        )
        return [state.key for state in states if state.institution_id in got]
    claimed = []
    # Sorted by id, so that two waiting refreshers never lock in opposite orders.
    for state in sorted(states, key=lambda s: s.institution_id):
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :id)"),
            {"space": space, "id": state.institution_id},
        )
        claimed.append(state.key)
    return claimed


def _save(
    session: Session, params: Parameters, params_key: str, states: list[ResultState], view: str
) -> None:
    """Analyse these institutions from their records (as `view` sees them) and store their
    results."""
    # pandas and the analysis are imported only when something is stale.
    from tracker.analysis.portfolio_parts import portfolio_parts
    from tracker.analysis.run import analyse
    from tracker.queries import load_dataset
    from tracker.store.portfolio_parts import portfolio_documents, valid_until

    by_key = {state.key: state for state in states}
    keys = list(by_key)
    dataset = load_dataset(session, institutions=keys)
    parents = set(dataset["institutions"]["parent"].dropna()) - set(keys)
    if params.parent_turnovers and parents:
        # A member's analysis reads its parent's tenures (`Parameters.parent_turnovers`).
        dataset = load_dataset(session, institutions=[*keys, *sorted(parents)])
    if view != SHARED:
        from tracker.quarter_use import funders_view
        from tracker.writes.quarter.review import quarter_states

        quarters = quarter_states(session, institutions=list(by_key))
        dataset, _ = funders_view(
            dataset, quarters, include_submitted=view == APPROVED_AND_SUBMITTED
        )
    today = dt.date.today()
    if params.parent_turnovers and parents:
        result = analyse(dataset, params, today=today, institutions=keys)
        dataset = dataset.institutions_only(keys)
    else:
        result = analyse(dataset, params, today=today)
    parts = portfolio_documents(portfolio_parts(dataset, result, today=today))
    until = valid_until(dataset, params, today)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for item in result.each_institution():
        state = by_key[item.institution]
        rows.append(
            {
                "institution_id": state.institution_id,
                "params_key": params_key,
                "data_version": state.data_version,
                "method_version": ANALYSIS_METHOD_VERSION,
                "phase": item.phase.phase,
                "summary": encode(institution_summary(item)),
                "document": institution_document(item),
                "portfolio": parts[item.institution],
                "valid_until": until.get(item.institution),
                "computed_at": now,
            }
        )
    if not rows:
        return
    table = models.StoredAnalysis.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(models.StoredAnalysis)
    columns = (
        "data_version", "method_version", "phase", "summary", "document", "portfolio",
        "valid_until", "computed_at",
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[table.c.institution_id, table.c.params_key],
            set_={name: stmt.excluded[name] for name in columns},
        ),
        rows,
    )


def _needs_work(state: ResultState, since: dt.datetime | None) -> bool:
    if state.stale:
        return True
    if since is None or state.computed_at is None:
        return False
    computed = state.computed_at
    if computed.tzinfo is None:  # SQLite hands back naive UTC
        computed = computed.replace(tzinfo=dt.UTC)
    return computed < since


def _refresh_batch(
    engine: Engine,
    params: Parameters,
    params_key: str,
    keys: list[str],
    *,
    since: dt.datetime | None,
    wait: bool,
    view: str,
) -> tuple[RefreshReport, list[str]]:
    """One batch in one transaction; returns what it did and the keys others held."""
    report = RefreshReport()
    with write_session(engine) as session:
        states = result_states(session, params_key, keys)
        claimed = set(_claim(session, params_key, states, wait=wait))
        held = [state.key for state in states if state.key not in claimed]
        # Read again under the claim: another refresher may have finished some meanwhile.
        current = result_states(session, params_key, sorted(claimed))
        todo = [state for state in current if _needs_work(state, since)]
        report.by_others += len(current) - len(todo)
        if todo:
            _save(session, params, params_key, todo, view)
        report.computed += len(todo)
    return report, held


def refresh_results(
    engine: Engine,
    params: Parameters | None = None,
    institutions: Collection[str] | None = None,
    *,
    everything: bool = False,
    batch_size: int = BATCH_INSTITUTIONS,
    on_progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    view: str = SHARED,
) -> RefreshReport:
    """Make the stored results of these institutions (all when None) fresh, as `view` sees
    their records (`documents.VIEWS`: everything, or a funder's approved quarters).

    `everything` recomputes every result, fresh or not, that was not recomputed since this
    call began (so that two `--all` refreshes at once still share the work). `on_total` is
    told how many results need work, `on_progress` each batch's size when it is done.
    """
    params = params or Parameters()
    key = parameters_key(params, view)
    since = dt.datetime.now(dt.UTC) if everything else None
    with read_session(engine) as session:
        states = result_states(session, key, institutions)
    report = RefreshReport()
    todo = [state.key for state in states if _needs_work(state, since)]
    report.fresh = len(states) - len(todo)
    if on_total is not None:
        on_total(len(todo))
    held: list[str] = []
    for batch in _chunks(todo, batch_size):
        done, others = _refresh_batch(
            engine, params, key, batch, since=since, wait=False, view=view
        )
        report.add(done)
        held += others
        if on_progress is not None:
            on_progress(len(batch) - len(others))
    # What other refreshers held: wait for them, then take over whatever they left stale.
    for batch in _chunks(held, batch_size):
        done, _ = _refresh_batch(engine, params, key, batch, since=since, wait=True, view=view)
        report.add(done)
        if on_progress is not None:
            on_progress(len(batch))
    return report
