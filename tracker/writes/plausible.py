"""Plausibility warnings for values about to be written (`tracker.analysis.plausibility`):
each incoming indicator value is checked against its indicator's range (the incoming
definition if the same write changes it, else the stored one) and against the institution's
own earlier values (stored, with the incoming ones of earlier quarters).

Warnings never refuse a write: an import prints them and still exits 0; the "Log a quarter"
page shows them beside the cell and asks for a note.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from tracker.analysis.plausibility import IndicatorRange, indicator_range, value_warnings
from tracker.periods import period_index
from tracker.queries import read_table
from tracker.writes.plan import TablePlan


@dataclass(frozen=True)
class ValueDoubt:
    """A warning about one incoming value, located as an import reports it."""

    source: str
    row: int | None
    institution: str
    indicator: str
    period: str
    message: str

    def __str__(self) -> str:
        place = self.source if self.row is None else f"{self.source}, row {self.row}"
        return f"{place}: {self.institution} {self.period}: {self.message}"


def ranges(definitions: pd.DataFrame) -> dict[str, IndicatorRange]:
    """Indicator key → range, from rows of the indicators table."""
    found = {}
    for row in definitions.to_dict("records"):
        found[str(row["key"])] = indicator_range(
            str(row.get("name") or row["key"]),
            str(row.get("unit") or ""),
            row.get("min"),
            row.get("max"),
        )
    return found


def series_before(
    values: pd.DataFrame, institution: str, indicator: str, period: str
) -> list[float]:
    """The institution's values of an indicator before `period`, oldest first."""
    own = values[(values["institution"] == institution) & (values["indicator"] == indicator)]
    if own.empty:
        return []
    before = own[[period_index(p) < period_index(period) for p in own["period"]]]
    ordered = before.assign(_at=[period_index(p) for p in before["period"]]).sort_values("_at")
    return [float(v) for v in ordered["value"]]


Histories = dict[tuple[str, str], tuple[list[int], list[float]]]


def _histories(values: pd.DataFrame) -> Histories:
    """(institution, indicator) → the quarters (as `period_index`) and values, oldest first:
    every series grouped once, so that an import of many values does not filter the whole
    frame once per value (which made a national import quadratic)."""
    work = values.assign(_at=[period_index(p) for p in values["period"]]).sort_values("_at")
    found: Histories = {}
    for (institution, indicator), group in work.groupby(
        ["institution", "indicator"], sort=False, observed=True
    ):
        found[(str(institution), str(indicator))] = (
            [int(at) for at in group["_at"]], [float(v) for v in group["value"]],
        )
    return found


def _before(histories: Histories, institution: str, indicator: str, period: str) -> list[float]:
    """`series_before`, from the grouped series."""
    quarters, values = histories.get((institution, indicator), ([], []))
    return values[: bisect_left(quarters, period_index(period))]


def _incoming(plan: TablePlan) -> pd.DataFrame:
    rows = plan.new.copy()
    rows["_row"] = list(rows.index) if rows.index.name == "row" else [None] * len(rows)
    fixed = [{**c.after, "_row": c.row} for c in plan.corrections]
    if fixed:
        rows = pd.concat([rows, pd.DataFrame(fixed)], ignore_index=True)
    return rows


def import_doubts(
    session: Session, plans: Mapping[str, TablePlan], *, source: str
) -> list[ValueDoubt]:
    """Warnings about the indicator values a planned import would write."""
    plan = plans.get("indicator_values")
    if plan is None or plan.is_empty:
        return []
    incoming = _incoming(plan)
    definitions = read_table(session, "indicators")
    if "indicators" in plans:
        changed = plans["indicators"]
        fresh = pd.concat(
            [changed.new, pd.DataFrame([c.after for c in changed.corrections])], ignore_index=True
        )
        if len(fresh):
            definitions = pd.concat(
                [definitions[~definitions["key"].isin(fresh["key"])], fresh], ignore_index=True
            )
    limits = ranges(definitions)
    institutions = sorted(set(incoming["institution"]))
    stored = read_table(session, "indicator_values", institutions=institutions)
    series = pd.concat([stored, incoming.drop(columns="_row")], ignore_index=True)
    series = series.drop_duplicates(["institution", "indicator", "period"], keep="last")
    histories = _histories(series)
    doubts = []
    for row in incoming.to_dict("records"):
        key = str(row["indicator"])
        if key not in limits:
            continue
        institution, period = str(row["institution"]), str(row["period"])
        history = _before(histories, institution, key, period)
        for doubt in value_warnings(row["value"], limits[key], history):
            row_number = row.get("_row")
            doubts.append(
                ValueDoubt(
                    f"{source} [indicator_values]",
                    None if row_number is None or pd.isna(row_number) else int(row_number),
                    institution,
                    key,
                    period,
                    doubt.message,
                )
            )
    return doubts
