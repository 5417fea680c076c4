"""browser sessions, reopening requests, submission notes, indicators' plausible range (#12)

Revision ID: 0006
Revises: 0008
Create Date: 2026-12-01 11:04:53.541678
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIOD_RULE = (
    "substr(period, 1, 4) >= '1900' AND substr(period, 1, 4) <= '2100' "
    "AND substr(period, 6, 1) IN ('1', '2', '3', '4')"
)


def upgrade() -> None:
    op.create_table(
        "browser_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_browser_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_browser_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_browser_sessions_token_hash")),
    )
    with op.batch_alter_table("browser_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_browser_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reopening_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "period LIKE '____Q_'", name=op.f("ck_reopening_requests_period_is_quarter")
        ),
        sa.CheckConstraint(PERIOD_RULE, name=op.f("ck_reopening_requests_period_in_domain")),
        sa.CheckConstraint(
            "status IN ('pending', 'granted', 'declined', 'withdrawn')",
            name=op.f("ck_reopening_requests_status_is_known"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_reopening_requests_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reopening_requests")),
    )
    with op.batch_alter_table("reopening_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reopening_requests_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "submission_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "period LIKE '____Q_'", name=op.f("ck_submission_notes_period_is_quarter")
        ),
        sa.CheckConstraint(PERIOD_RULE, name=op.f("ck_submission_notes_period_in_domain")),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_submission_notes_institution_id_institutions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_notes")),
    )
    with op.batch_alter_table("submission_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_notes_institution_id"), ["institution_id"], unique=False
        )

    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("max", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("max")
        batch_op.drop_column("min")

    with op.batch_alter_table("submission_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_notes_institution_id"))

    op.drop_table("submission_notes")
    with op.batch_alter_table("reopening_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reopening_requests_institution_id"))

    op.drop_table("reopening_requests")
    with op.batch_alter_table("browser_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_browser_sessions_user_id"))

    op.drop_table("browser_sessions")
