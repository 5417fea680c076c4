"""Institutions and portfolios written straight into the schema, for tests that need something
to scope users to but no workbook import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Engine, insert, select

from tracker import models
from tracker.writes.history.audit import now

INSTITUTIONS = ("north", "south", "east")
PORTFOLIOS: Mapping[str, Sequence[str]] = {"p-ns": ("north", "south"), "p-east": ("east",)}


def seed_institutions(
    engine: Engine,
    institutions: Sequence[str] = INSTITUTIONS,
    portfolios: Mapping[str, Sequence[str]] = PORTFOLIOS,
) -> None:
    stamp = {"recorded_at": now(), "recorded_by": "test"}
    with engine.begin() as conn:
        conn.execute(
            insert(models.Institution),
            [
                {"key": k, "name": k.title(), "kind": "local_authority", **stamp}
                for k in institutions
            ],
        )
        conn.execute(
            insert(models.Portfolio), [{"key": k, "name": k.upper(), **stamp} for k in portfolios]
        )
        ids = {k: i for k, i in conn.execute(select(models.Institution.key, models.Institution.id))}
        pids = {k: i for k, i in conn.execute(select(models.Portfolio.key, models.Portfolio.id))}
        conn.execute(
            insert(models.PortfolioMember),
            [
                {"portfolio_id": pids[p], "institution_id": ids[i], **stamp}
                for p, members in portfolios.items()
                for i in members
            ],
        )
