"""which tracker version migrated the database to each schema revision

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-01 12:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows are written after each upgrade by `tracker.migrate.record_tracker_version` (from
    # migrations/env.py), this revision's own included.
    op.create_table(
        "tracker_schema_versions",
        sa.Column("revision", sa.String(length=32), nullable=False),
        sa.Column("tracker_version", sa.String(length=32), nullable=False),
        sa.Column("migrated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("revision", name=op.f("pk_tracker_schema_versions")),
    )


def downgrade() -> None:
    op.drop_table("tracker_schema_versions")
