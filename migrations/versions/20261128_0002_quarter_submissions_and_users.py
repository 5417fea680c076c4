"""quarter submissions and users

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:37:55.105791
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "evaluator",
                "institution",
                "funder",
                name="user_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=500), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "user_portfolios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("portfolio_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["portfolio_id"],
            ["portfolios.id"],
            name=op.f("fk_user_portfolios_portfolio_id_portfolios"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_portfolios_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_portfolios")),
        sa.UniqueConstraint(
            "user_id", "portfolio_id", name=op.f("uq_user_portfolios_user_id_portfolio_id")
        ),
    )
    with op.batch_alter_table("user_portfolios", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_portfolios_portfolio_id"), ["portfolio_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_user_portfolios_user_id"), ["user_id"], unique=False)

    op.create_table(
        "quarter_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopened_by", sa.String(length=200), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
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
            "period LIKE '____Q_'", name=op.f("ck_quarter_submissions_period_is_quarter")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_quarter_submissions_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_submissions")),
        sa.UniqueConstraint(
            "institution_id", "period", name=op.f("uq_quarter_submissions_institution_id_period")
        ),
    )
    with op.batch_alter_table("quarter_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quarter_submissions_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "user_institutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_user_institutions_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_institutions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_institutions")),
        sa.UniqueConstraint(
            "user_id", "institution_id", name=op.f("uq_user_institutions_user_id_institution_id")
        ),
    )
    with op.batch_alter_table("user_institutions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_institutions_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_user_institutions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("user_institutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_institutions_user_id"))
        batch_op.drop_index(batch_op.f("ix_user_institutions_institution_id"))

    op.drop_table("user_institutions")
    with op.batch_alter_table("quarter_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarter_submissions_institution_id"))

    op.drop_table("quarter_submissions")
    with op.batch_alter_table("user_portfolios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_portfolios_user_id"))
        batch_op.drop_index(batch_op.f("ix_user_portfolios_portfolio_id"))

    op.drop_table("user_portfolios")
    op.drop_table("users")
