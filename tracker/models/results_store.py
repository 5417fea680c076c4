"""The results store (`tracker.store`): each institution's data version and its stored
analysis per parameter set.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class AnalysisDataVersion(Base):
    """How many times the records an institution's analysis reads have been written.

    Raised by every write that touches them, in the write's own transaction (one place:
    `tracker.writes.history.staleness`); a stored result made from an older version is stale. No row
    means version 0 (nothing written since the store began)."""

    __tablename__ = "analysis_data_versions"
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    data_version: Mapped[int] = mapped_column(Integer, default=1)


class StoredAnalysis(Base):
    """One institution's analysis under one parameter set, as `tracker analyse` prints it.

    `document` is the institution's JSON object (UTF-8); `summary` the small JSON row of the
    summary table. Fresh while `data_version` and `method_version` equal the institution's
    data version and `ANALYSIS_METHOD_VERSION` (see `tracker.store`)."""

    __tablename__ = "analysis_results"
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    params_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    method_version: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(20))
    summary: Mapped[bytes] = mapped_column(LargeBinary)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    # The institution's portfolio parts (`tracker.store.portfolio_parts`); None only in rows stored
    # by an older method version, which are stale.
    portfolio: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The first day on which this result is stale by itself (a planned date comes to pass, a
    # target falls due); None: only a write or a new method makes it stale.
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
