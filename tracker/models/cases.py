"""The records of a case: places and institutions, indicators and their values, leadership
tenures, partner engagements, activities, structural changes and their statuses,
decisions, and the evaluator's quarterly observations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import vocab
from tracker.models.base import (
    KEY_LENGTH,
    Base,
    Retractable,
    Versioned,
    choice,
    date_in_domain,
    institution_fk,
    period_in_domain,
    span_rules,
)


class Place(Retractable, Versioned, Base):
    __tablename__ = "places"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    # The "ambient social ecology": named context numbers such as fsm_share.
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Institution(Retractable, Versioned, Base):
    __tablename__ = "institutions"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(choice("institution_kind", vocab.INSTITUTION_KINDS))
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)

    place: Mapped[Place | None] = relationship()
    parent: Mapped[Institution | None] = relationship(remote_side=[id])


class Indicator(Retractable, Versioned, Base):
    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(100))
    higher_is_better: Mapped[bool] = mapped_column(Boolean)
    chain_link: Mapped[str | None] = mapped_column(choice("chain_link", vocab.CHAIN_LINKS))
    description: Mapped[str | None] = mapped_column(Text)
    # The plausible range of a value (issue 12): outside it, a value is saved with a warning.
    min: Mapped[float | None] = mapped_column(Float)
    max: Mapped[float | None] = mapped_column(Float)
    # The worsening allowed through a turnover, absolute, in the indicator's unit.
    tolerance: Mapped[float | None] = mapped_column(Float)


class LeadershipTenure(Retractable, Versioned, Base):
    """Who held a role at an institution, from when to when. A tenure ends; a new one starts."""

    __tablename__ = "leadership_tenures"
    __table_args__ = span_rules("role", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    role: Mapped[str] = mapped_column(String(200))
    holder: Mapped[str] = mapped_column(String(300))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    key_role: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # An interim (acting) holder between two substantive ones: part of one transition.
    interim: Mapped[bool | None] = mapped_column(Boolean)
    # The role is co-held at this institution (see README, "Shared roles").
    shared: Mapped[bool | None] = mapped_column(Boolean)


class PartnerEngagement(Retractable, Versioned, Base):
    """An external organisation working with the institution; its end is a partner withdrawal."""

    __tablename__ = "partner_engagements"
    __table_args__ = span_rules("partner", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    partner: Mapped[str] = mapped_column(String(300))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    kind: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)


class Activity(Retractable, Versioned, Base):
    """What is done (training, coaching...): recorded so that 'activities only' is recognisable."""

    __tablename__ = "activities"
    __table_args__ = span_rules("title", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    kind: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class StructuralChange(Retractable, Versioned, Base):
    __tablename__ = "structural_changes"
    __table_args__ = (date_in_domain("adopted"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    institution_id: Mapped[int] = institution_fk()
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(choice("change_kind", vocab.CHANGE_KINDS))
    adopted: Mapped[dt.date] = mapped_column(Date)
    chain_link: Mapped[str | None] = mapped_column(choice("chain_link", vocab.CHAIN_LINKS))
    culture_level: Mapped[str | None] = mapped_column(choice("culture_level", vocab.CULTURE_LEVELS))
    notes: Mapped[str | None] = mapped_column(Text)


class ChangeStatus(Retractable, Versioned, Base):
    """The evaluator's dated confirmation of what held for a change at that date."""

    __tablename__ = "change_statuses"
    __table_args__ = (UniqueConstraint("change_id", "date"), date_in_domain("date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(
        ForeignKey("structural_changes.id", ondelete="RESTRICT"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(choice("change_status", vocab.CHANGE_STATUSES))
    evidence: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Decision(Retractable, Versioned, Base):
    __tablename__ = "decisions"
    __table_args__ = (date_in_domain("date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    institution_id: Mapped[int] = institution_fk()
    date: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    reverses_earlier: Mapped[bool] = mapped_column(Boolean, default=False)
    because_of_community: Mapped[bool] = mapped_column(Boolean, default=False)
    cost: Mapped[str] = mapped_column(choice("decision_cost", vocab.DECISION_COSTS), default="none")
    cost_note: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)


class IndicatorValue(Retractable, Versioned, Base):
    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("institution_id", "indicator_id", "period"),
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="RESTRICT"), index=True
    )
    period: Mapped[str] = mapped_column(String(6))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Observation(Retractable, Versioned, Base):
    """The evaluator's narrative for an institution and quarter, with a stage judgement."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("institution_id", "period"),
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    narrative: Mapped[str] = mapped_column(Text)
    stage: Mapped[str | None] = mapped_column(choice("stage", vocab.STAGES))
    evidence: Mapped[str | None] = mapped_column(Text)
