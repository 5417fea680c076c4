"""Plausibility warnings for values about to be written (`tracker.analysis.plausibility`):
each incoming indicator value is checked against its indicator's range (the incoming
definition if the same write changes it, else the stored one) and against the institution's
own earlier values (stored, with the incoming ones of earlier quarters).

Warnings never refuse a write: an import prints them and still exits 0; the "Log a quarter"
page shows them beside the cell and asks for a note.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from tracker.analysis.asof import quarter_indexes
from tracker.analysis.plausibility import (
    JUMP_MIN_HISTORY,
    JUMP_SDS,
    IndicatorRange,
    as_number,
    indicator_range,
    jump_warning,
    range_warning,
)
from tracker.periods import period_index
from tracker.queries import read_table
from tracker.writes.imports.plan import TablePlan


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


# The columns a value's checks read (the rest of the table is not copied).
_SERIES = ["institution", "indicator", "period", "value"]


def _incoming(plan: TablePlan) -> pd.DataFrame:
    rows = plan.new[_SERIES].copy()
    rows["_row"] = list(rows.index) if rows.index.name == "row" else [None] * len(rows)
    fixed = [
        {**{name: c.after.get(name) for name in _SERIES}, "_row": c.row}
        for c in plan.corrections
    ]
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
    incoming = _incoming(plan).reset_index(drop=True)  # positions: 0, 1, …
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
    # Keys are unique within a workbook table (validation refuses repeats), so only stored
    # values can repeat an incoming one: the incoming value wins.
    series = incoming[_SERIES]
    offset = 0  # where the incoming rows start among the series' labels
    if len(stored):
        offset = len(stored)
        series = pd.concat([stored[_SERIES], series], ignore_index=True).drop_duplicates(
            ["institution", "indicator", "period"], keep="last"
        )
    # The incoming rows that may be jumps, by position, with their earlier values.
    histories = {
        label - offset: history
        for label, history in _jump_candidates(series).items()
        if label >= offset
    }
    doubts = []
    # Only rows that may be out of range or may be jumps are looked at one by one.
    look = _maybe_out_of_range(incoming, limits).to_numpy()
    look[list(histories)] = True
    positions = look.nonzero()[0]
    chosen = incoming.iloc[positions]
    columns = [chosen[name] for name in ("institution", "indicator", "period", "value", "_row")]
    for position, institution_key, indicator_key, period_key, value, row_number in zip(
        positions, *columns, strict=True
    ):
        key = str(indicator_key)
        if key not in limits:
            continue
        institution, period = str(institution_key), str(period_key)
        number = as_number(value)
        if number is None:
            continue
        found = [range_warning(number, limits[key])]
        history = histories.get(int(position))
        if history is not None:
            found.append(jump_warning(number, history, limits[key].name))
        for doubt in (d for d in found if d is not None):
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


def _maybe_out_of_range(incoming: pd.DataFrame, limits: Mapping[str, IndicatorRange]) -> pd.Series:
    """Rows whose value lies outside its indicator's range (checked exactly afterwards)."""
    keys = incoming["indicator"].astype(str)
    numbers = pd.to_numeric(incoming["value"], errors="coerce")
    low = keys.map({k: r.low for k, r in limits.items()}).astype("float64")
    high = keys.map({k: r.high for k, r in limits.items()}).astype("float64")
    return ((numbers < low) | (numbers > high)).fillna(False).astype(bool)


# A value is checked for a jump exactly (`plausibility.jump_warning`) only when a vectorised
# pass over every series finds it could be one: a step within this share of the threshold
# already (rounding cannot move the exact check by a thousandth).
_MARGIN = 0.999


def _group_cumsum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Running sums that restart at each series' first row (`starts`: that row, per row)."""
    total = np.cumsum(values)
    before = np.concatenate(([0.0], total))[starts]
    return total - before


# Institutions whose series are checked together: bounds the memory of a national import.
_CHUNK_INSTITUTIONS = 2_000


def _jump_candidates(series: pd.DataFrame) -> dict[int, list[float]]:
    """The labels of the values of `series` that may be jumps, with each one's earlier
    values, oldest first: at least `JUMP_MIN_HISTORY` earlier values, and a step from the
    latest of them beyond (nearly) `JUMP_SDS` standard deviations of the earlier steps, or any
    step after steps that never varied. One pass over the values in numpy arrays, some
    thousand institutions at a time, not one pass per value (a national import has millions
    of values)."""
    numbers = pd.to_numeric(series["value"], errors="coerce").to_numpy(dtype="float64")
    usable = (~np.isnan(numbers)).nonzero()[0]
    if not len(usable):
        return {}
    codes, _ = pd.factorize(series["institution"].to_numpy()[usable])
    by_institution = usable[np.argsort(codes, kind="stable")]
    sorted_codes = np.sort(codes, kind="stable")
    labels = series.index.to_numpy()
    found: dict[int, list[float]] = {}
    for first in range(0, int(sorted_codes[-1]) + 1, _CHUNK_INSTITUTIONS):
        lo, hi = np.searchsorted(sorted_codes, [first, first + _CHUNK_INSTITUTIONS])
        rows = by_institution[lo:hi]  # positions in `series`
        for at, history in _chunk_candidates(series, numbers, rows):
            found[int(labels[at])] = history
    return found


def _chunk_candidates(
    series: pd.DataFrame, numbers: np.ndarray, rows: np.ndarray
) -> Iterator[tuple[int, list[float]]]:
    """`_jump_candidates` for the values at these positions of `series` (whole series)."""
    keys = pd.DataFrame({
        "institution": series["institution"].to_numpy()[rows],
        "indicator": series["indicator"].to_numpy()[rows],
    })
    series_id = keys.groupby(["institution", "indicator"], sort=False).ngroup().to_numpy()
    quarter = quarter_indexes(pd.Series(series["period"].to_numpy()[rows])).to_numpy()
    order = np.lexsort((quarter, series_id))  # each series together, oldest first
    series_id, values, rows = series_id[order], numbers[rows][order], rows[order]
    index = np.arange(len(values))
    first_row = np.ones(len(values), dtype=bool)
    first_row[1:] = series_id[1:] != series_id[:-1]
    starts = np.maximum.accumulate(np.where(first_row, index, 0))
    position = index - starts  # earlier values of the same series
    step = np.full(len(values), np.nan)
    step[1:] = values[1:] - values[:-1]
    step[position < 1] = np.nan
    earlier = np.full(len(values), np.nan)  # the step before this one, within the series
    earlier[1:] = step[:-1]
    earlier[position < 2] = np.nan
    known = ~np.isnan(earlier)
    counts = np.bincount(series_id, weights=known)
    sums = np.bincount(series_id, weights=np.where(known, earlier, 0.0))
    # Centred on the series' mean step, so that the running sums keep their precision.
    centre = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)[series_id]
    centred = np.where(known, earlier - centre, 0.0)
    n = _group_cumsum(known.astype("float64"), starts)
    s1 = _group_cumsum(centred, starts)
    s2 = _group_cumsum(centred * centred, starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.where(n >= 2, (s2 - s1 * s1 / n) / (n - 1), np.nan)
    spread = np.sqrt(np.clip(np.nan_to_num(variance, nan=0.0), 0.0, None))
    moved = np.abs(np.nan_to_num(step, nan=0.0))
    maybe = (position >= JUMP_MIN_HISTORY) & (moved > 0) & (moved > _MARGIN * JUMP_SDS * spread)
    for at in maybe.nonzero()[0]:
        yield int(rows[at]), [float(v) for v in values[starts[at] : at]]
