"""results store: each institution's portfolio parts beside its analysis, and the day a result
falls due again by itself

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Results stored before this revision have no parts: ANALYSIS_METHOD_VERSION 4 marks them
    # stale, so the next read or `tracker results refresh` recomputes them with their parts.
    with op.batch_alter_table("analysis_results") as batch:
        batch.add_column(sa.Column("portfolio", sa.LargeBinary(), nullable=True))
        # The first day on which the result is stale by itself: a planned date comes to pass
        # (the default as-of date moves) or a target falls due. None: never by itself.
        batch.add_column(sa.Column("valid_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("analysis_results") as batch:
        batch.drop_column("valid_until")
        batch.drop_column("portfolio")
