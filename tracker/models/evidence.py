"""The contribution analysis's records: influencing factors, contribution claims, the
evidence items that bear on them, and the commissioning diagnostic.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
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
    date_in_domain,
    institution_fk,
    span_rules,
)


class InfluencingFactor(Retractable, Versioned, Base):
    __tablename__ = "influencing_factors"
    __table_args__ = span_rules("title", "start")
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
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
    institution_id: Mapped[int] = institution_fk()
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
    institution_id: Mapped[int] = institution_fk()
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


class CommissioningDiagnostic(Retractable, Versioned, Base):
    """The article's four commissioning questions, answered per institution over time."""

    __tablename__ = "commissioning_diagnostics"
    __table_args__ = (UniqueConstraint("institution_id", "date"), date_in_domain("date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = institution_fk()
    date: Mapped[dt.date] = mapped_column(Date)
    leadership_commitment: Mapped[bool | None] = mapped_column(Boolean)
    realistic_timescale: Mapped[bool | None] = mapped_column(Boolean)
    structural_barriers_addressed: Mapped[bool | None] = mapped_column(Boolean)
    succession_plan: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
