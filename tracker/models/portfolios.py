"""What funders follow: portfolios and their members, and the targets of an institution
(indicator targets and persistence targets).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tracker import vocab
from tracker.models.base import (
    KEY_LENGTH,
    Base,
    Retractable,
    Versioned,
    choice,
    institution_fk,
    period_in_domain,
)


class Portfolio(Versioned, Base):
    """The set of institutions a funder follows."""

    __tablename__ = "portfolios"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))


class PortfolioMember(Retractable, Versioned, Base):
    __tablename__ = "portfolio_members"
    __table_args__ = (UniqueConstraint("portfolio_id", "institution_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(
        ForeignKey("portfolios.id", ondelete="RESTRICT"), index=True
    )
    institution_id: Mapped[int] = institution_fk()


class Target(Versioned, Base):
    """A target for an indicator of an institution: for one quarter, or for a span of quarters
    (`period` to `until`), either per quarter or cumulative over the span."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("institution_id", "indicator_id", "period"),
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
        CheckConstraint("until IS NULL OR until >= period", name="until_not_before_period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="RESTRICT"), index=True
    )
    period: Mapped[str] = mapped_column(String(6))
    until: Mapped[str | None] = mapped_column(String(6))
    value: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(choice("target_kind", vocab.TARGET_KINDS))
    comment: Mapped[str | None] = mapped_column(Text)


class PersistenceTarget(Versioned, Base):
    """A persistence target: a structural change still in force through the institution's next
    turnover (or through a given quarter)."""

    __tablename__ = "persistence_targets"
    __table_args__ = (UniqueConstraint("institution_id", "change_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    change_id: Mapped[int] = mapped_column(
        ForeignKey("structural_changes.id", ondelete="RESTRICT"), index=True
    )
    through: Mapped[str] = mapped_column(String(20), default="next_turnover")
    comment: Mapped[str | None] = mapped_column(Text)
