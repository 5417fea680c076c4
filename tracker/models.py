"""The schema: SQLAlchemy 2 typed models for the whole domain of product.md.

Conventions:
- every constraint has a name (`NAMING_CONVENTION`), so migrations can alter them on SQLite too;
- vocabularies are portable enums: a VARCHAR with a named CHECK constraint, the same on SQLite
  and PostgreSQL (no native PostgreSQL ENUM types to migrate);
- every domain row carries `version`, `recorded_at`, `recorded_by` and `reason`; changing a row
  first copies its previous version into `record_versions`, so no value is ever destroyed;
- rows are identified across imports by natural keys (the workbook's identity columns), which
  are unique constraints here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker import vocab
from tracker.config import DOMAIN_FIRST_YEAR, DOMAIN_LAST_YEAR

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

KEY_LENGTH = 100


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


def choice(name: str, values: tuple[str, ...]) -> Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint, no native type."""
    return Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
        validate_strings=True,
    )


def _institution_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), index=True)


def date_in_domain(column: str) -> CheckConstraint:
    """A date (when known) within the domain of every date (config.DOMAIN_*_YEAR).

    ISO dates compare as text on SQLite (where they are stored as YYYY-MM-DD) and as dates on
    PostgreSQL, so one expression serves both.
    """
    first, last = f"{DOMAIN_FIRST_YEAR:04d}-01-01", f"{DOMAIN_LAST_YEAR:04d}-12-31"
    return CheckConstraint(
        f'"{column}" IS NULL OR ("{column}" >= \'{first}\' AND "{column}" <= \'{last}\')',
        name=f"{column}_in_domain",
    )


def period_in_domain() -> CheckConstraint:
    """A quarter YYYYQn whose year is within the domain of every date (and n is 1 to 4)."""
    return CheckConstraint(
        f"substr(period, 1, 4) >= '{DOMAIN_FIRST_YEAR:04d}' "
        f"AND substr(period, 1, 4) <= '{DOMAIN_LAST_YEAR:04d}' "
        "AND substr(period, 6, 1) IN ('1', '2', '3', '4')",
        name="period_in_domain",
    )


def _span_rules(
    *identity: str,
) -> tuple[UniqueConstraint, CheckConstraint, CheckConstraint, CheckConstraint]:
    """The rules of a dated span (tenure, engagement, activity, factor): unique per institution
    and its identity columns, and an end (when known) not before the start, both in the domain."""
    return (
        UniqueConstraint("institution_id", *identity),
        CheckConstraint('"end" IS NULL OR "end" >= start', name="end_not_before_start"),
        date_in_domain("start"),
        date_in_domain("end"),
    )


class Versioned:
    """Columns every domain row carries: its version and who recorded it, when and why."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    recorded_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    reason: Mapped[str | None] = mapped_column(Text)

    # Optimistic concurrency: an ORM update of a row someone changed meanwhile fails.
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class Retractable:
    """A row a user may retract (`tracker import --retract`): it leaves every read and analysis
    but stays, with its history; retracting and restoring are new versions of the row (who,
    when and why in `recorded_by`, `recorded_at`, `reason`; the earlier version kept in
    `record_versions`). Reads filter it in one place (`tracker.queries`)."""

    retracted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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
    __table_args__ = _span_rules("role", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
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
    __table_args__ = _span_rules("partner", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    partner: Mapped[str] = mapped_column(String(300))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    kind: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)


class Activity(Retractable, Versioned, Base):
    """What is done (training, coaching...): recorded so that 'activities only' is recognisable."""

    __tablename__ = "activities"
    __table_args__ = _span_rules("title", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
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
    institution_id: Mapped[int] = _institution_fk()
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
    institution_id: Mapped[int] = _institution_fk()
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
    institution_id: Mapped[int] = _institution_fk()
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
    institution_id: Mapped[int] = _institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    narrative: Mapped[str] = mapped_column(Text)
    stage: Mapped[str | None] = mapped_column(choice("stage", vocab.STAGES))
    evidence: Mapped[str | None] = mapped_column(Text)


class InfluencingFactor(Retractable, Versioned, Base):
    __tablename__ = "influencing_factors"
    __table_args__ = _span_rules("title", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(100))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    assessed_role: Mapped[str] = mapped_column(
        choice("assessed_role", vocab.ASSESSED_ROLES), default="unknown"
    )
    notes: Mapped[str | None] = mapped_column(Text)
    # The link of the causal chain the factor bears on (a major one lowers that link).
    link: Mapped[str | None] = mapped_column(choice("chain_link", vocab.CHAIN_LINKS))


class ContributionClaim(Retractable, Versioned, Base):
    __tablename__ = "contribution_claims"
    __table_args__ = (CheckConstraint("prior >= 0 AND prior <= 1", name="prior_is_probability"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    institution_id: Mapped[int] = _institution_fk()
    statement: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    prior: Mapped[float] = mapped_column(Float, default=0.5)
    notes: Mapped[str | None] = mapped_column(Text)


class EvidenceItem(Retractable, Versioned, Base):
    """A dated piece of evidence; attachable to a claim (and a link of its chain), a change or
    a decision."""

    __tablename__ = "evidence_items"
    __table_args__ = (
        CheckConstraint("change_id IS NULL OR decision_id IS NULL", name="one_record_at_most"),
        CheckConstraint(
            "sensitivity IS NULL OR (sensitivity >= 0 AND sensitivity <= 1)",
            name="sensitivity_is_probability",
        ),
        CheckConstraint(
            "type_i_error IS NULL OR (type_i_error >= 0 AND type_i_error <= 1)",
            name="type_i_error_is_probability",
        ),
        date_in_domain("date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    institution_id: Mapped[int] = _institution_fk()
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str | None] = mapped_column(choice("evidence_kind", vocab.EVIDENCE_KINDS))
    source: Mapped[str | None] = mapped_column(Text)
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution_claims.id", ondelete="RESTRICT"), index=True
    )
    link: Mapped[str | None] = mapped_column(choice("chain_link", vocab.CHAIN_LINKS))
    change_id: Mapped[int | None] = mapped_column(
        ForeignKey("structural_changes.id", ondelete="RESTRICT"), index=True
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), index=True
    )
    supports: Mapped[bool] = mapped_column(Boolean, default=True)
    test: Mapped[str | None] = mapped_column(choice("evidence_test", tuple(vocab.EVIDENCE_TESTS)))
    sensitivity: Mapped[float | None] = mapped_column(Float)
    type_i_error: Mapped[float | None] = mapped_column(Float)
    observed: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)


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
    institution_id: Mapped[int] = _institution_fk()


class CommissioningDiagnostic(Retractable, Versioned, Base):
    """The article's four commissioning questions, answered per institution over time."""

    __tablename__ = "commissioning_diagnostics"
    __table_args__ = (UniqueConstraint("institution_id", "date"), date_in_domain("date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    date: Mapped[dt.date] = mapped_column(Date)
    leadership_commitment: Mapped[bool | None] = mapped_column(Boolean)
    realistic_timescale: Mapped[bool | None] = mapped_column(Boolean)
    structural_barriers_addressed: Mapped[bool | None] = mapped_column(Boolean)
    succession_plan: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)


class RecordVersion(Base):
    """An earlier version of a domain row, kept when the row was corrected: nothing is lost."""

    __tablename__ = "record_versions"
    __table_args__ = (
        UniqueConstraint("table_name", "record_id", "version"),
        Index("ix_record_versions_lookup", "table_name", "record_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[int] = mapped_column(Integer)
    # The row's identity as the workbook writes it, e.g. "wigan|resident_trust|2024Q3".
    record_key: Mapped[str] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    superseded_by: Mapped[str] = mapped_column(String(200))


class AuditEntry(Base):
    """One entry per write: who, when, what (before and after), and why."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    table_name: Mapped[str | None] = mapped_column(String(100))
    record_key: Mapped[str | None] = mapped_column(String(500))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class QuarterSubmission(Versioned, Base):
    """An evaluator's submission of an institution's quarter: while `locked`, nothing dated in
    that quarter may be written. Reopening keeps the row (and its history) and says why."""

    __tablename__ = "quarter_submissions"
    __table_args__ = (
        UniqueConstraint("institution_id", "period"),
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
        CheckConstraint(
            "locked = (state IN ('submitted', 'approved'))", name="locked_in_locked_states"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    locked: Mapped[bool] = mapped_column(Boolean, default=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str] = mapped_column(String(200))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reopened_by: Mapped[str | None] = mapped_column(String(200))
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    # The review state (tracker.writes.quarter.review): `locked` is true exactly in the locked
    # states.
    state: Mapped[str] = mapped_column(
        choice("quarter_state", vocab.QUARTER_STATES), default="submitted",
        server_default="submitted",
    )
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    returned_by: Mapped[str | None] = mapped_column(String(200))
    return_reason: Mapped[str | None] = mapped_column(Text)


class LeadershipConfirmation(Versioned, Base):
    """The evaluator's confirmation that the leadership record of an institution is up to date
    for a quarter (who holds each key role, any change logged): one item of the quarter's
    checklist. Dated in its quarter, so a submitted quarter locks it too."""

    __tablename__ = "leadership_confirmations"
    __table_args__ = (
        UniqueConstraint("institution_id", "period"),
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    note: Mapped[str | None] = mapped_column(Text)


class User(Versioned, Base):
    """A local account. The password is kept only as an argon2 hash."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(choice("user_role", vocab.ROLES))
    password_hash: Mapped[str | None] = mapped_column(String(500))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class UserInstitution(Base):
    """An institution an evaluator writes for, or an institution viewer reads."""

    __tablename__ = "user_institutions"
    __table_args__ = (UniqueConstraint("user_id", "institution_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = _institution_fk()


class UserPortfolio(Base):
    """A portfolio a funder reads."""

    __tablename__ = "user_portfolios"
    __table_args__ = (UniqueConstraint("user_id", "portfolio_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    portfolio_id: Mapped[int] = mapped_column(
        ForeignKey("portfolios.id", ondelete="RESTRICT"), index=True
    )


class ApiToken(Base):
    """A user's token for the HTTP API. Only its SHA-256 hash is kept: the token itself is
    shown once, when it is made. `token_id` is its public part, shown in lists and the log."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(200))


class QuarterComment(Base):
    """One comment in the thread of an institution's quarter: a reviewer's return reason, an
    administrator's reason for reopening, or a plain comment. Comments are never edited."""

    __tablename__ = "quarter_comments"
    __table_args__ = (
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(choice("comment_kind", vocab.COMMENT_KINDS))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


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
    institution_id: Mapped[int] = _institution_fk()
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
    institution_id: Mapped[int] = _institution_fk()
    change_id: Mapped[int] = mapped_column(
        ForeignKey("structural_changes.id", ondelete="RESTRICT"), index=True
    )
    through: Mapped[str] = mapped_column(String(20), default="next_turnover")
    comment: Mapped[str | None] = mapped_column(Text)


class ReminderSent(Base):
    """One reminder digest sent to a person on a day: `tracker remind` sends at most one a day."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("person", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(200))
    day: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    via: Mapped[str] = mapped_column(String(20))
    items: Mapped[int] = mapped_column(Integer)


class BrowserSession(Base):
    """A dashboard login kept by the browser (a signed cookie naming this row): valid until
    `expires_at` unless revoked (logout, or the account disabled). Only a hash of the token is
    kept, so the table cannot be replayed as cookies."""

    __tablename__ = "browser_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ReopeningRequest(Base):
    """An evaluator's request that an administrator reopen a locked quarter, with a reason;
    the administrator grants (reopens the quarter) or declines it, with a note."""

    __tablename__ = "reopening_requests"
    __table_args__ = (
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
        CheckConstraint(
            "status IN ('pending', 'granted', 'declined', 'withdrawn')", name="status_is_known"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)


class SubmissionNote(Base):
    """Why an item of the quarter's checklist was still missing when the quarter was submitted
    (kept with the submission: one row per missing item, per submission)."""

    __tablename__ = "submission_notes"
    __table_args__ = (
        CheckConstraint("period LIKE '____Q_'", name="period_is_quarter"),
        period_in_domain(),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = _institution_fk()
    period: Mapped[str] = mapped_column(String(6))
    item: Mapped[str] = mapped_column(String(40))
    missing: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AnalysisDataVersion(Base):
    """How many times the records an institution's analysis reads have been written.

    Raised by every write that touches them, in the write's own transaction (one place:
    `tracker.writes.history.staleness`); a stored result made from an older version is stale. No row
    means version 0 (nothing written since the store began)."""

    __tablename__ = "analysis_data_versions"
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    data_version: Mapped[int] = mapped_column(Integer, default=1)


class StoredAnalysis(Base):
    """One institution's analysis under one parameter set, as `tracker analyse` prints it.

    `document` is the institution's JSON object (UTF-8); `summary` the small JSON row of the
    summary table. Fresh while `data_version` and `method_version` equal the institution's
    data version and `ANALYSIS_METHOD_VERSION` (see `tracker.store`)."""

    __tablename__ = "analysis_results"
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    params_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    method_version: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(20))
    summary: Mapped[bytes] = mapped_column(LargeBinary)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    # The institution's portfolio parts (`tracker.store.portfolio_parts`); None only in rows stored
    # by an older method version, which are stale.
    portfolio: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The first day on which this result is stale by itself (a planned date comes to pass, a
    # target falls due); None: only a write or a new method makes it stale.
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SchemaVersion(Base):
    """Which tracker version migrated the database to each schema revision (written by every
    upgrade, `tracker.migrate.record_tracker_version`), so that an older tracker that does not
    know a revision can say which version it needs."""

    __tablename__ = "tracker_schema_versions"
    revision: Mapped[str] = mapped_column(String(32), primary_key=True)
    tracker_version: Mapped[str] = mapped_column(String(32))
    migrated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SourceRecord(Base):
    """Where a row written by a source import came from (`tracker import --from`): the tool,
    the record's lasting id there (a Kobo rootUuid, an ODK KEY, a DHIS2 value's data element,
    period, organisation unit and category option combination, a 360Giving grant id) and the
    version of it that was written (an edit in the tool changes the version, not the id). One
    row per written row, named as the audit names it (table and record key)."""

    __tablename__ = "source_records"
    __table_args__ = (UniqueConstraint("table_name", "record_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(String(400))
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(300), index=True)
    source_version: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
