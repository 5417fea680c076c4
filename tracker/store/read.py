"""Reading the results store: what an actor may read, fresh, without recomputing per user.

`stored_results(engine, actor, params)` refreshes what is stale among the institutions the
actor may read (`tracker.scope`), then hands out the stored documents. An evaluator and an
administrator read the same stored rows; scope only filters which. Funders read approved
quarters only (#15): their results are stored apart, under the funders' view, and shared by
every funder in the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Engine, select

from tracker import models
from tracker.access import Actor
from tracker.analysis.params import Parameters
from tracker.db import read_session
from tracker.scope import readable_institutions
from tracker.store.documents import (
    APPROVED,
    APPROVED_AND_SUBMITTED,
    SHARED,
    parameters_key,
)
from tracker.store.refresh import RefreshReport, refresh_results

# Documents fetched at a time (bounds memory while streaming).
_FETCH = 200
_IN_BATCH = 500


def _as_bytes(value: Any) -> bytes:
    """A stored document as bytes (PostgreSQL's driver hands out a memoryview)."""
    return bytes(value)


@dataclass(frozen=True)
class StoredResults:
    """The stored analysis of some institutions under one parameter set and view, read on
    demand.

    `keys` are the institutions, sorted; `documents()` streams each institution's JSON object
    (UTF-8 bytes, exactly `InstitutionResult.to_json()` encoded), `summaries()` the rows of
    the summary table, `portfolio_documents()` the portfolio parts. `refreshed` says what
    reading them had to recompute first.
    """

    engine: Engine = field(repr=False)
    parameters: Parameters
    keys: tuple[str, ...]
    every: bool = False  # every institution in the database: read without IN lists
    refreshed: RefreshReport = field(default_factory=RefreshReport)
    view: str = SHARED  # documents.VIEWS: a funder reads approved quarters only (#15)

    @property
    def params_key(self) -> str:
        return parameters_key(self.parameters, self.view)

    def _rows(self, column: Any) -> Iterator[tuple[str, bytes]]:
        inst, stored = models.Institution, models.StoredAnalysis
        stmt = (
            select(inst.key, column)
            .join(stored, stored.institution_id == inst.id)
            .where(stored.params_key == self.params_key)
            .order_by(inst.key)
        )
        with read_session(self.engine) as session:
            if self.every:
                result = session.execute(stmt.execution_options(yield_per=_FETCH))
                for key, value in result:
                    yield str(key), _as_bytes(value)
                return
            for start in range(0, len(self.keys), _IN_BATCH):
                chunk = list(self.keys[start : start + _IN_BATCH])
                for key, value in session.execute(stmt.where(inst.key.in_(chunk))):
                    yield str(key), _as_bytes(value)

    def documents(self) -> Iterator[tuple[str, bytes]]:
        """(institution key, its JSON document) in key order, a few at a time."""
        return self._rows(models.StoredAnalysis.document)

    def summaries(self) -> list[dict[str, Any]]:
        """The summary row of every institution, in key order."""
        return [orjson.loads(raw) for _, raw in self._rows(models.StoredAnalysis.summary)]

    def portfolio_documents(self) -> Iterator[tuple[str, bytes]]:
        """(institution key, its portfolio parts as JSON) in key order
        (`tracker.store.portfolio_parts`)."""
        return self._rows(models.StoredAnalysis.portfolio)

    def document(self, key: str) -> dict[str, Any]:
        """One institution's document as JSON values (KeyError when not among `keys`)."""
        if key not in self.keys:
            raise KeyError(f"institution {key!r} is not in these results")
        one = StoredResults(self.engine, self.parameters, (key,), view=self.view)
        for found, raw in one._rows(models.StoredAnalysis.document):
            if found == key:
                parsed: dict[str, Any] = orjson.loads(raw)
                return parsed
        raise KeyError(f"institution {key!r} has no stored result")

    def to_json(self) -> dict[str, Any]:
        """The whole `tracker analyse --format json` document (small selections only)."""
        return {
            "parameters": self.parameters.to_json(),
            "institutions": [orjson.loads(raw) for _, raw in self.documents()],
        }


def view_of(actor: Actor) -> str:
    """The view of the records `actor` reads: a funder's approved quarters (and submitted ones
    too with TRACKER_FUNDERS_SEE_SUBMITTED), everyone else's everything."""
    if actor.role != "funder":
        return SHARED
    from tracker.config import setting_bool

    return APPROVED_AND_SUBMITTED if setting_bool("TRACKER_FUNDERS_SEE_SUBMITTED") else APPROVED


def stored_results(
    engine: Engine,
    actor: Actor,
    params: Parameters | None = None,
    institutions: Collection[str] | None = None,
) -> StoredResults:
    """The fresh stored results of the institutions `actor` may read (only `institutions`
    among them, when given; keys the actor may not read are left out, never refused here).

    Stale or missing results are recomputed first, only those, in batches; two readers at
    once never recompute the same one (see `tracker.store.refresh`). Everyone reads the same
    stored rows, filtered by scope; a funder reads those of the funders' view (approved
    quarters only), stored apart and shared by every funder.
    """
    params = params or Parameters()
    view = view_of(actor)
    with read_session(engine) as session:
        readable = readable_institutions(session, actor)
        if readable is None and institutions is None:
            every = True
            keys = sorted(session.scalars(select(models.Institution.key)))
        else:
            every = False
            wanted = set(institutions) if institutions is not None else set(readable or ())
            if readable is not None:
                wanted &= readable
            existing: set[str] = set()
            sorted_wanted = sorted(wanted)
            for start in range(0, len(sorted_wanted), _IN_BATCH):
                chunk = sorted_wanted[start : start + _IN_BATCH]
                existing |= set(
                    session.scalars(
                        select(models.Institution.key).where(models.Institution.key.in_(chunk))
                    )
                )
            keys = sorted(existing)
    report = refresh_results(engine, params, None if every else keys, view=view)
    return StoredResults(engine, params, tuple(keys), every=every, refreshed=report, view=view)
