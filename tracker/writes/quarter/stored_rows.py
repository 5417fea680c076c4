"""The stored rows a quarter's forms start from, with the version of each record.

A form keeps the version of every record it showed, and passes them back as the
`expected_versions` of its write, so that a save over someone else's change meanwhile is refused
(`conflicts`). Each function reads one institution's rows only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from tracker.periods import period_from_index, period_index
from tracker.queries import read_table
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.imports.plan import record_key


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator on a quarter's sheet: last quarter's value for reference, and this
    quarter's stored value (None, version 0, where nothing is stored yet)."""

    indicator: str
    name: str
    unit: str
    last_period: str
    last_value: float | None
    value: float | None
    source: str | None
    version: int

def _first(frame: pd.DataFrame, column: str) -> Any:
    return frame[column].iloc[0] if len(frame) else None


def indicator_sheet(
    session: Session, *, institution: str, period: str, indicators: list[str]
) -> list[IndicatorLine]:
    """One line per indicator, in the given order."""
    values = read_table(session, "indicator_values", institutions=[institution], with_ids=True)
    definitions = read_table(session, "indicators").set_index("key")
    previous = period_from_index(period_index(period) - 1)
    lines = []
    for key in indicators:
        own = values[values["indicator"] == key]
        now = own[own["period"] == period]
        before = own[own["period"] == previous]
        known = key in definitions.index
        lines.append(
            IndicatorLine(
                indicator=key,
                name=str(definitions.at[key, "name"]) if known else key,
                unit=str(definitions.at[key, "unit"]) if known else "",
                last_period=previous,
                last_value=None if before.empty else float(_first(before, "value")),
                value=None if now.empty else float(_first(now, "value")),
                source=_first(now, "source"),
                version=0 if now.empty else int(_first(now, "_version")),
            )
        )
    return lines


def institution_rows(session: Session, table: str, *, institution: str) -> pd.DataFrame:
    """An institution's stored rows of one table, with `_id`, `_version` and `_record` (the
    record key a write's `expected_versions` names)."""
    rows = read_table(session, table, institutions=[institution], with_ids=True)
    spec = TABLE_MAP[table]
    rows["_record"] = [record_key(spec, row) for row in rows.to_dict("records")]
    return rows


def open_tenures(session: Session, *, institution: str) -> pd.DataFrame:
    """The latest tenure in each role of the institution (the one a leadership change ends)."""
    tenures = institution_rows(session, "leadership", institution=institution)
    if tenures.empty:
        return tenures
    latest = tenures.sort_values(["role", "start"]).groupby("role", as_index=False).tail(1)
    return latest.reset_index(drop=True)
