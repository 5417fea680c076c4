"""date domain and retraction: every date and quarter within 1900-2100 (CHECK constraints), and
a `retracted` flag on every workbook row

Revision ID: 0009
Revises: 0003
Create Date: 2026-12-01 11:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported: a migration must keep meaning what it meant when written.
FIRST, LAST = "1900", "2100"

RETRACTABLE = (
    "places",
    "institutions",
    "indicators",
    "portfolio_members",
    "leadership_tenures",
    "partner_engagements",
    "activities",
    "structural_changes",
    "change_statuses",
    "decisions",
    "indicator_values",
    "observations",
    "influencing_factors",
    "contribution_claims",
    "evidence_items",
    "commissioning_diagnostics",
)
DATES = {
    "leadership_tenures": ("start", "end"),
    "partner_engagements": ("start", "end"),
    "activities": ("start", "end"),
    "influencing_factors": ("start", "end"),
    "structural_changes": ("adopted",),
    "change_statuses": ("date",),
    "decisions": ("date",),
    "evidence_items": ("date",),
    "commissioning_diagnostics": ("date",),
}
PERIODS = ("indicator_values", "observations", "quarter_submissions", "leadership_confirmations")


def _date_rule(column: str) -> str:
    return (
        f"\"{column}\" IS NULL OR (\"{column}\" >= '{FIRST}-01-01' "
        f"AND \"{column}\" <= '{LAST}-12-31')"
    )


_PERIOD_RULE = (
    f"substr(period, 1, 4) >= '{FIRST}' AND substr(period, 1, 4) <= '{LAST}' "
    "AND substr(period, 6, 1) IN ('1', '2', '3', '4')"
)


def _refuse_rows_outside_the_domain() -> None:
    """A database holding a date outside the domain cannot take the constraints: say where."""
    connection = op.get_bind()
    found: list[str] = []
    for table, columns in DATES.items():
        for column in columns:
            count = connection.execute(
                sa.text(f'SELECT count(*) FROM {table} WHERE NOT ({_date_rule(column)})')
            ).scalar_one()
            if count:
                found.append(f"{table}.{column}: {count} rows")
    for table in PERIODS:
        count = connection.execute(
            sa.text(f"SELECT count(*) FROM {table} WHERE NOT ({_PERIOD_RULE})")
        ).scalar_one()
        if count:
            found.append(f"{table}.period: {count} rows")
    if found:
        raise RuntimeError(
            f"Rows with a date or quarter outside {FIRST}-{LAST} (misread on import): "
            + "; ".join(found)
            + ". Correct them with `tracker import --correct`, then upgrade again."
        )


# On SQLite a CHECK constraint can only be added by rebuilding the table, and a table that other
# rows refer to (ON DELETE RESTRICT) cannot be dropped for the rebuild while foreign keys are
# enforced, which cannot be switched off inside the migration's transaction. The two such
# tables get triggers that refuse the same rows with the constraint's name instead.
SQLITE_TRIGGERS = {"structural_changes": "adopted", "decisions": "date"}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _create_domain_triggers(table: str, column: str) -> None:
    name = f"ck_{table}_{column}_in_domain"
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
            f"WHEN NOT ({_date_rule(column).replace(chr(34) + column, 'NEW.' + chr(34) + column)}) "
            f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
        )


def upgrade() -> None:
    _refuse_rows_outside_the_domain()
    for table in RETRACTABLE:
        # A plain ADD COLUMN on both databases (no table rebuild on SQLite).
        op.add_column(
            table, sa.Column("retracted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    for table, columns in DATES.items():
        if _sqlite() and table in SQLITE_TRIGGERS:
            _create_domain_triggers(table, SQLITE_TRIGGERS[table])
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_check_constraint(
                    op.f(f"ck_{table}_{column}_in_domain"), _date_rule(column)
                )
    for table in PERIODS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_period_in_domain"), _PERIOD_RULE)


def downgrade() -> None:
    for table in PERIODS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_period_in_domain"), type_="check")
    for table, columns in DATES.items():
        if _sqlite() and table in SQLITE_TRIGGERS:
            name = f"ck_{table}_{SQLITE_TRIGGERS[table]}_in_domain"
            op.execute(f"DROP TRIGGER {name}_insert")
            op.execute(f"DROP TRIGGER {name}_update")
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}_in_domain"), type_="check")
    for table in RETRACTABLE:
        if _sqlite():
            # SQLite drops a plain column in place (3.35+); a batch rebuild of a table other
            # rows refer to would fail, as above.
            op.execute(f"ALTER TABLE {table} DROP COLUMN retracted")
        else:
            op.drop_column(table, "retracted")
