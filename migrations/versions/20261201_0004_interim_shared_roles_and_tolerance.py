"""interim holders and shared roles in leadership tenures; an absolute indicator tolerance;
the chain link an influencing factor bears on

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-01 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leadership_tenures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interim", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("shared", sa.Boolean(), nullable=True))
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tolerance", sa.Float(), nullable=True))
    with op.batch_alter_table("influencing_factors", schema=None) as batch_op:
        batch_op.add_column(
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
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("influencing_factors", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_influencing_factors_chain_link"), type_="check")
        batch_op.drop_column("link")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("tolerance")
    with op.batch_alter_table("leadership_tenures", schema=None) as batch_op:
        batch_op.drop_column("shared")
        batch_op.drop_column("interim")
