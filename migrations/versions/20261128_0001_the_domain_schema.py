"""the domain schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 15:33:22.638612
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("table_name", sa.String(length=100), nullable=True),
        sa.Column("record_key", sa.String(length=500), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column(
            "chain_link",
            sa.Enum(
                "engagement",
                "individual_practice",
                "team_norms",
                "structural_embedding",
                "basic_assumption",
                name="chain_link",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("key", name=op.f("uq_indicators_key")),
    )
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
        sa.UniqueConstraint("key", name=op.f("uq_places_key")),
    )
    op.create_table(
        "portfolios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolios")),
        sa.UniqueConstraint("key", name=op.f("uq_portfolios_key")),
    )
    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "superseded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("superseded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_versions")),
        sa.UniqueConstraint(
            "table_name",
            "record_id",
            "version",
            name=op.f("uq_record_versions_table_name_record_id_version"),
        ),
    )
    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_record_versions_lookup", ["table_name", "record_key"], unique=False
        )

    op.create_table(
        "institutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "local_authority",
                "school",
                "trust",
                "health",
                "police",
                "voluntary",
                "other",
                name="institution_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_institutions_not_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["institutions.id"],
            name=op.f("fk_institutions_parent_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_institutions_place_id_places"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("key", name=op.f("uq_institutions_key")),
    )
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institutions_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_institutions_place_id"), ["place_id"], unique=False)

    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            '"end" IS NULL OR "end" >= start', name=op.f("ck_activities_end_not_before_start")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_activities_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint(
            "institution_id",
            "title",
            "start",
            name=op.f("uq_activities_institution_id_title_start"),
        ),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activities_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "commissioning_diagnostics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("leadership_commitment", sa.Boolean(), nullable=True),
        sa.Column("realistic_timescale", sa.Boolean(), nullable=True),
        sa.Column("structural_barriers_addressed", sa.Boolean(), nullable=True),
        sa.Column("succession_plan", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_commissioning_diagnostics_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commissioning_diagnostics")),
        sa.UniqueConstraint(
            "institution_id", "date", name=op.f("uq_commissioning_diagnostics_institution_id_date")
        ),
    )
    with op.batch_alter_table("commissioning_diagnostics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commissioning_diagnostics_institution_id"),
            ["institution_id"],
            unique=False,
        )

    op.create_table(
        "contribution_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("prior", sa.Float(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "prior >= 0 AND prior <= 1", name=op.f("ck_contribution_claims_prior_is_probability")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_contribution_claims_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_claims")),
        sa.UniqueConstraint("key", name=op.f("uq_contribution_claims_key")),
    )
    with op.batch_alter_table("contribution_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_claims_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reverses_earlier", sa.Boolean(), nullable=False),
        sa.Column("because_of_community", sa.Boolean(), nullable=False),
        sa.Column(
            "cost",
            sa.Enum(
                "none",
                "budget",
                "power",
                "reputation",
                "time",
                "other",
                name="decision_cost",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("cost_note", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_decisions_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("key", name=op.f("uq_decisions_key")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decisions_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "period LIKE '____Q_'", name=op.f("ck_indicator_values_period_is_quarter")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_values_indicator_id_indicators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_indicator_values_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
        sa.UniqueConstraint(
            "institution_id",
            "indicator_id",
            "period",
            name=op.f("uq_indicator_values_institution_id_indicator_id_period"),
        ),
    )
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_values_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_indicator_values_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "influencing_factors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column(
            "assessed_role",
            sa.Enum(
                "not_significant",
                "partial",
                "major",
                "unknown",
                name="assessed_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            '"end" IS NULL OR "end" >= start',
            name=op.f("ck_influencing_factors_end_not_before_start"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_influencing_factors_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_influencing_factors")),
        sa.UniqueConstraint(
            "institution_id",
            "title",
            "start",
            name=op.f("uq_influencing_factors_institution_id_title_start"),
        ),
    )
    with op.batch_alter_table("influencing_factors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_influencing_factors_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "leadership_tenures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=300), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("key_role", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            '"end" IS NULL OR "end" >= start',
            name=op.f("ck_leadership_tenures_end_not_before_start"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_leadership_tenures_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_tenures")),
        sa.UniqueConstraint(
            "institution_id",
            "role",
            "start",
            name=op.f("uq_leadership_tenures_institution_id_role_start"),
        ),
    )
    with op.batch_alter_table("leadership_tenures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_leadership_tenures_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "exploration",
                "installation",
                "initial_implementation",
                "full_implementation",
                "innovation",
                "sustainability",
                name="stage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint("period LIKE '____Q_'", name=op.f("ck_observations_period_is_quarter")),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_observations_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint(
            "institution_id", "period", name=op.f("uq_observations_institution_id_period")
        ),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_observations_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "partner_engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=300), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            '"end" IS NULL OR "end" >= start',
            name=op.f("ck_partner_engagements_end_not_before_start"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_partner_engagements_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_engagements")),
        sa.UniqueConstraint(
            "institution_id",
            "partner",
            "start",
            name=op.f("uq_partner_engagements_institution_id_partner_start"),
        ),
    )
    with op.batch_alter_table("partner_engagements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_engagements_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "portfolio_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("portfolio_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_portfolio_members_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["portfolio_id"],
            ["portfolios.id"],
            name=op.f("fk_portfolio_members_portfolio_id_portfolios"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_members")),
        sa.UniqueConstraint(
            "portfolio_id",
            "institution_id",
            name=op.f("uq_portfolio_members_portfolio_id_institution_id"),
        ),
    )
    with op.batch_alter_table("portfolio_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portfolio_members_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_portfolio_members_portfolio_id"), ["portfolio_id"], unique=False
        )

    op.create_table(
        "structural_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "hiring_criteria",
                "performance_framework",
                "governance",
                "policy",
                "role_definition",
                "structure",
                "practice",
                "language",
                "other",
                name="change_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("adopted", sa.Date(), nullable=False),
        sa.Column(
            "chain_link",
            sa.Enum(
                "engagement",
                "individual_practice",
                "team_norms",
                "structural_embedding",
                "basic_assumption",
                name="chain_link",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "culture_level",
            sa.Enum(
                "artefact",
                "espoused_value",
                "basic_assumption",
                name="culture_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_structural_changes_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_structural_changes")),
        sa.UniqueConstraint("key", name=op.f("uq_structural_changes_key")),
    )
    with op.batch_alter_table("structural_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_structural_changes_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "change_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "in_force",
                "weakened",
                "reversed",
                "superseded",
                name="change_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["structural_changes.id"],
            name=op.f("fk_change_statuses_change_id_structural_changes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_statuses")),
        sa.UniqueConstraint("change_id", "date", name=op.f("uq_change_statuses_change_id_date")),
    )
    with op.batch_alter_table("change_statuses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_statuses_change_id"), ["change_id"], unique=False
        )

    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "document",
                "interview",
                "survey",
                "admin_data",
                "peer_review",
                "independent_evaluation",
                "observation",
                name="evidence_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column(
            "link",
            sa.Enum(
                "engagement",
                "individual_practice",
                "team_norms",
                "structural_embedding",
                "basic_assumption",
                name="chain_link",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("supports", sa.Boolean(), nullable=False),
        sa.Column(
            "test",
            sa.Enum(
                "hoop",
                "smoking_gun",
                "doubly_decisive",
                "straw_in_the_wind",
                name="evidence_test",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("sensitivity", sa.Float(), nullable=True),
        sa.Column("type_i_error", sa.Float(), nullable=True),
        sa.Column("observed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "change_id IS NULL OR decision_id IS NULL",
            name=op.f("ck_evidence_items_one_record_at_most"),
        ),
        sa.CheckConstraint(
            "sensitivity IS NULL OR (sensitivity >= 0 AND sensitivity <= 1)",
            name=op.f("ck_evidence_items_sensitivity_is_probability"),
        ),
        sa.CheckConstraint(
            "type_i_error IS NULL OR (type_i_error >= 0 AND type_i_error <= 1)",
            name=op.f("ck_evidence_items_type_i_error_is_probability"),
        ),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["structural_changes.id"],
            name=op.f("fk_evidence_items_change_id_structural_changes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["contribution_claims.id"],
            name=op.f("fk_evidence_items_claim_id_contribution_claims"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_evidence_items_decision_id_decisions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_evidence_items_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
        sa.UniqueConstraint("key", name=op.f("uq_evidence_items_key")),
    )
    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_items_change_id"), ["change_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evidence_items_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_evidence_items_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_items_institution_id"), ["institution_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_items_institution_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_items_decision_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_items_claim_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_items_change_id"))

    op.drop_table("evidence_items")
    with op.batch_alter_table("change_statuses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_statuses_change_id"))

    op.drop_table("change_statuses")
    with op.batch_alter_table("structural_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_structural_changes_institution_id"))

    op.drop_table("structural_changes")
    with op.batch_alter_table("portfolio_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_members_portfolio_id"))
        batch_op.drop_index(batch_op.f("ix_portfolio_members_institution_id"))

    op.drop_table("portfolio_members")
    with op.batch_alter_table("partner_engagements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_engagements_institution_id"))

    op.drop_table("partner_engagements")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_institution_id"))

    op.drop_table("observations")
    with op.batch_alter_table("leadership_tenures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leadership_tenures_institution_id"))

    op.drop_table("leadership_tenures")
    with op.batch_alter_table("influencing_factors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_influencing_factors_institution_id"))

    op.drop_table("influencing_factors")
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_values_institution_id"))
        batch_op.drop_index(batch_op.f("ix_indicator_values_indicator_id"))

    op.drop_table("indicator_values")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_institution_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("contribution_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_claims_institution_id"))

    op.drop_table("contribution_claims")
    with op.batch_alter_table("commissioning_diagnostics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commissioning_diagnostics_institution_id"))

    op.drop_table("commissioning_diagnostics")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_institution_id"))

    op.drop_table("activities")
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institutions_place_id"))
        batch_op.drop_index(batch_op.f("ix_institutions_parent_id"))

    op.drop_table("institutions")
    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_record_versions_lookup")

    op.drop_table("record_versions")
    op.drop_table("portfolios")
    op.drop_table("places")
    op.drop_table("indicators")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
