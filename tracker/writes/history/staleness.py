"""Marking stored analysis results stale: the one place a write does it.

An institution's analysis reads only its own records, its parent's tenures (when parent
turnovers are counted) and the shared indicator definitions. A write raises the data version
(`models.AnalysisDataVersion`) of every institution whose records it wrote, of the members of
an institution whose tenures it wrote (a trust's schools), and, when it corrects an indicator
definition (its name or direction), of every institution with values of that indicator, in the
write's own transaction: a write and the staleness it causes commit or roll back together. The
results store (`tracker.store`) recomputes a result whose data version is behind on its next
read.

Every write of records goes through `importer.write_workbook_tables`, which calls
`mark_written` once; a new kind of write of analysed records must call it too. A review
transition (`review.transition`) calls it as well: the funders' view of the records (approved
quarters only) changes with it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from tracker import models

# Keys bound in one IN (...) list (well under SQLite's and PostgreSQL's limits).
_IN_BATCH = 500


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _IN_BATCH):
        yield values[start : start + _IN_BATCH]


def institutions_using_indicators(session: Session, indicators: Collection[str]) -> set[str]:
    """The institutions with at least one value of any of these indicators."""
    found: set[str] = set()
    value, indicator, institution = models.IndicatorValue, models.Indicator, models.Institution
    for chunk in _chunks(sorted(indicators)):
        stmt = (
            select(institution.key)
            .distinct()
            .join(value, value.institution_id == institution.id)
            .join(indicator, indicator.id == value.indicator_id)
            .where(indicator.key.in_(chunk))
        )
        found |= set(session.scalars(stmt))
    return found


def members_of(session: Session, parents: Collection[str]) -> set[str]:
    """The member institutions of these parents (a trust's schools): a write to a parent can
    change their analysis (`Parameters.parent_turnovers`)."""
    found: set[str] = set()
    member, parent = models.Institution, aliased(models.Institution)
    for chunk in _chunks(sorted(parents)):
        stmt = (
            select(member.key)
            .join(parent, member.parent_id == parent.id)
            .where(parent.key.in_(chunk))
        )
        found |= set(session.scalars(stmt))
    return found


def mark_written(
    session: Session,
    institutions: Collection[str],
    *,
    indicators: Collection[str] = (),
    leaders: Collection[str] = (),
) -> set[str]:
    """Raise the data version of these institutions, of every institution using one of
    `indicators` (definitions this write corrected) and of the members of `leaders` (the
    institutions whose tenures this write changed). Returns the institutions marked."""
    marked = set(institutions)
    if indicators:
        marked |= institutions_using_indicators(session, indicators)
    if leaders:
        marked |= members_of(session, leaders)
    if not marked:
        return marked
    table = models.AnalysisDataVersion.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for chunk in _chunks(sorted(marked)):
        ids = session.scalars(
            select(models.Institution.id).where(models.Institution.key.in_(chunk))
        ).all()
        if not ids:
            continue
        stmt = insert(models.AnalysisDataVersion).values(
            [{"institution_id": i, "data_version": 1} for i in ids]
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.institution_id],
                set_={"data_version": table.c.data_version + 1},
            )
        )
    return marked
