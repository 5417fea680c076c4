"""Reading the results store: what an actor may read, fresh, without recomputing per user.

`stored_results(engine, actor, params)` refreshes what is stale among the institutions the
actor may read (`tracker.scope`), then hands out the stored documents. A funder and an
administrator read the same stored rows; scope only filters which.
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
from tracker.store.documents import parameters_key
from tracker.store.refresh import RefreshReport, refresh_results

# Documents fetched at a time (bounds memory while streaming).
_FETCH = 200
_IN_BATCH = 500


def _as_bytes(value: Any) -> bytes:
    """A stored document as bytes (PostgreSQL's driver hands out a memoryview)."""
    return bytes(value)


@dataclass(frozen=True)
class StoredResults:
    """The stored analysis of some institutions under one parameter set, read on demand.

    `keys` are the institutions, sorted; `documents()` streams each institution's JSON object
    (UTF-8 bytes, exactly `InstitutionResult.to_json()` encoded), `summaries()` the rows of
    the summary table. `refreshed` says what reading them had to recompute first.
    """

    engine: Engine = field(repr=False)
    parameters: Parameters
    keys: tuple[str, ...]
    every: bool = False  # every institution in the database: read without IN lists
    refreshed: RefreshReport = field(default_factory=RefreshReport)
    # A funder's view (approved quarters only, #15) is analysed for them, not stored: then the
    # documents and summaries are held here, by key.
    # (document, summary, portfolio parts) by key.
    held: dict[str, tuple[bytes, bytes, bytes]] | None = field(default=None, repr=False)

    @property
    def params_key(self) -> str:
        return parameters_key(self.parameters)

    def _rows(self, column: Any) -> Iterator[tuple[str, bytes]]:
        if self.held is not None:
            stored_columns = (
                models.StoredAnalysis.document,
                models.StoredAnalysis.summary,
                models.StoredAnalysis.portfolio,
            )
            which = next(i for i, known in enumerate(stored_columns) if known is column)
            for held_key in self.keys:
                yield held_key, self.held[held_key][which]
            return
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
        (`tracker.store.portfolio`)."""
        return self._rows(models.StoredAnalysis.portfolio)

    def document(self, key: str) -> dict[str, Any]:
        """One institution's document as JSON values (KeyError when not among `keys`)."""
        if key not in self.keys:
            raise KeyError(f"institution {key!r} is not in these results")
        one = StoredResults(self.engine, self.parameters, (key,), held=self.held)
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


def stored_results(
    engine: Engine,
    actor: Actor,
    params: Parameters | None = None,
    institutions: Collection[str] | None = None,
) -> StoredResults:
    """The fresh stored results of the institutions `actor` may read (only `institutions`
    among them, when given; keys the actor may not read are left out, never refused here).

    Stale or missing results are recomputed first, only those, in batches; two readers at
    once never recompute the same one (see `tracker.store.refresh`).
    """
    params = params or Parameters()
    if actor.role == "funder":
        return _funders_results(engine, actor, params, institutions)
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
    report = refresh_results(engine, params, None if every else keys)
    return StoredResults(engine, params, tuple(keys), every=every, refreshed=report)


def _funders_results(
    engine: Engine, actor: Actor, params: Parameters, institutions: Collection[str] | None
) -> StoredResults:
    """A funder reads approved quarters only (`tracker.quarter_use`, #15), which the shared
    store does not hold: their institutions are analysed from what they may read."""
    from tracker.analysis.portfolio import portfolio_parts
    from tracker.analysis.run import analyse
    from tracker.scope import readable_dataset
    from tracker.store.documents import encode, institution_document, institution_summary
    from tracker.store.portfolio import portfolio_documents

    with read_session(engine) as session:
        dataset = readable_dataset(session, actor)
    keys = sorted(set(dataset["institutions"]["key"]))
    if institutions is not None:
        keys = sorted(set(keys) & set(institutions))
        dataset = dataset.institutions_only(keys)
    result = analyse(dataset, params)
    parts = portfolio_documents(portfolio_parts(dataset, result))
    held = {
        item.institution: (
            institution_document(item),
            encode(institution_summary(item)),
            parts[item.institution],
        )
        for item in result.each_institution()
    }
    return StoredResults(engine, params, tuple(keys), held=held)
