"""The declarative base and what every table shares: named constraints, portable enums, the
domain of dates and quarters, the columns of a versioned and of a retractable row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tracker.config import DOMAIN_FIRST_YEAR, DOMAIN_LAST_YEAR

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


KEY_LENGTH = 100


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


def choice(name: str, values: tuple[str, ...]) -> Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint, no native type."""
    return Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
        validate_strings=True,
    )


def institution_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), index=True)


def date_in_domain(column: str) -> CheckConstraint:
    """A date (when known) within the domain of every date (config.DOMAIN_*_YEAR).

    ISO dates compare as text on SQLite (where they are stored as YYYY-MM-DD) and as dates on
    PostgreSQL, so one expression serves both.
    """
    first, last = f"{DOMAIN_FIRST_YEAR:04d}-01-01", f"{DOMAIN_LAST_YEAR:04d}-12-31"
    return CheckConstraint(
        f'"{column}" IS NULL OR ("{column}" >= \'{first}\' AND "{column}" <= \'{last}\')',
        name=f"{column}_in_domain",
    )


def period_in_domain() -> CheckConstraint:
    """A quarter YYYYQn whose year is within the domain of every date (and n is 1 to 4)."""
    return CheckConstraint(
        f"substr(period, 1, 4) >= '{DOMAIN_FIRST_YEAR:04d}' "
        f"AND substr(period, 1, 4) <= '{DOMAIN_LAST_YEAR:04d}' "
        "AND substr(period, 6, 1) IN ('1', '2', '3', '4')",
        name="period_in_domain",
    )


def span_rules(
    *identity: str,
) -> tuple[UniqueConstraint, CheckConstraint, CheckConstraint, CheckConstraint]:
    """The rules of a dated span (tenure, engagement, activity, factor): unique per institution
    and its identity columns, and an end (when known) not before the start, both in the domain."""
    return (
        UniqueConstraint("institution_id", *identity),
        CheckConstraint('"end" IS NULL OR "end" >= start', name="end_not_before_start"),
        date_in_domain("start"),
        date_in_domain("end"),
    )


class Versioned:
    """Columns every domain row carries: its version and who recorded it, when and why."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    recorded_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    reason: Mapped[str | None] = mapped_column(Text)

    # Optimistic concurrency: an ORM update of a row someone changed meanwhile fails.
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class Retractable:
    """A row a user may retract (`tracker import --retract`): it leaves every read and analysis
    but stays, with its history; retracting and restoring are new versions of the row (who,
    when and why in `recorded_by`, `recorded_at`, `reason`; the earlier version kept in
    `record_versions`). Reads filter it in one place (`tracker.queries`)."""

    retracted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
