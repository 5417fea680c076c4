"""leadership confirmations: the evaluator's per-quarter confirmation of the leadership record

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:41:57.628833
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leadership_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
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
            "period LIKE '____Q_'", name=op.f("ck_leadership_confirmations_period_is_quarter")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_leadership_confirmations_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_confirmations")),
        sa.UniqueConstraint(
            "institution_id",
            "period",
            name=op.f("uq_leadership_confirmations_institution_id_period"),
        ),
    )
    with op.batch_alter_table("leadership_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_leadership_confirmations_institution_id"),
            ["institution_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("leadership_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leadership_confirmations_institution_id"))
    op.drop_table("leadership_confirmations")
