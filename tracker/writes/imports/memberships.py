"""Removing institutions from a portfolio: the one write the workbook import cannot express
(a workbook adds and corrects rows; it never deletes them).

Adding members and renaming a portfolio go through `rows.write_rows` like any other write.
A removal keeps the removed row in `record_versions` (nothing is lost) and is audited with its
before value and reason, in one transaction. Only administrators change portfolios.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, delete, insert, select

from tracker import models
from tracker.access import Actor
from tracker.db import write_session
from tracker.writes.history.audit import now, record_audit
from tracker.writes.permissions import check_write


def remove_portfolio_members(
    engine: Engine, portfolio: str, institutions: Iterable[str], *, actor: Actor,
    reason: str | None = None,
) -> list[str]:
    """Remove these institutions from `portfolio`; returns those that were members."""
    check_write(actor, [], shared=True)
    wanted = sorted(set(institutions))
    at = now()
    removed: list[str] = []
    member_of = models.PortfolioMember
    with write_session(engine) as session:
        rows = session.execute(
            select(member_of, models.Institution.key, models.Portfolio.name)
            .join(models.Institution, models.Institution.id == member_of.institution_id)
            .join(models.Portfolio, models.Portfolio.id == member_of.portfolio_id)
            .where(models.Portfolio.key == portfolio, models.Institution.key.in_(wanted))
            .order_by(models.Institution.key)
        ).all()
        for member, institution, name in rows:
            record_key = f"{portfolio}|{institution}"
            before = {"portfolio": portfolio, "institution": institution, "name": name}
            session.execute(
                insert(models.RecordVersion).values(
                    table_name="portfolios", record_id=member.id, record_key=record_key,
                    version=member.version, data=before, recorded_at=member.recorded_at,
                    recorded_by=member.recorded_by, reason=member.reason, superseded_at=at,
                    superseded_by=actor.name,
                )
            )
            session.execute(
                delete(models.PortfolioMember).where(models.PortfolioMember.id == member.id)
            )
            record_audit(
                session, actor=actor.name, action="remove", table_name="portfolios",
                record_key=record_key, before=before, reason=reason, at=at,
                detail={"institutions": [institution]},
            )
            removed.append(institution)
    return removed
