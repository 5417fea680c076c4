"""Which institutions an actor may read: the single place where read scope is decided."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor


def readable_institutions(session: Session, actor: Actor) -> set[str] | None:
    """The keys of the institutions `actor` may read; None means every institution."""
    if actor.is_admin:
        return None
    keys = set(actor.institutions)
    if actor.portfolios:
        stmt = (
            select(models.Institution.key)
            .join(models.PortfolioMember, models.PortfolioMember.institution_id == models.Institution.id)
            .join(models.Portfolio, models.Portfolio.id == models.PortfolioMember.portfolio_id)
            .where(models.Portfolio.key.in_(sorted(actor.portfolios)))
        )
        keys |= set(session.scalars(stmt))
    return keys
