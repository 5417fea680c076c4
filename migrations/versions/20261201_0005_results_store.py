"""results store: each institution's analysis per parameter set, and its data version

Revision ID: 0005
Revises: 0006
Create Date: 2026-12-01 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analysis_data_versions",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_analysis_data_versions_institution_id_institutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("institution_id", name=op.f("pk_analysis_data_versions")),
    )
    op.create_table(
        "analysis_results",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("params_key", sa.String(length=64), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.LargeBinary(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_analysis_results_institution_id_institutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("institution_id", "params_key", name=op.f("pk_analysis_results")),
    )


def downgrade() -> None:
    op.drop_table("analysis_results")
    op.drop_table("analysis_data_versions")
