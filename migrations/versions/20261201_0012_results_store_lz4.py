"""results store on PostgreSQL: stored documents compressed with lz4 instead of pglz

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A national refresh writes about a gigabyte of JSON documents; PostgreSQL compresses each
# large value, and its default (pglz) costs more CPU than lz4 (PostgreSQL 14 and later, when
# built with it). Values stored before keep their compression; SQLite stores them as they are.
_COLUMNS = ("document", "summary", "portfolio")


def _set(method: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    alters = " ".join(
        f"ALTER TABLE analysis_results ALTER COLUMN {column} SET COMPRESSION {method};"
        for column in _COLUMNS
    )
    # A server built without lz4 refuses the method: the store then keeps pglz.
    op.execute(
        f"DO $$ BEGIN {alters} EXCEPTION WHEN feature_not_supported OR invalid_parameter_value "
        "OR undefined_object THEN NULL; END $$;"
    )


def upgrade() -> None:
    _set("lz4")


def downgrade() -> None:
    _set("pglz")
