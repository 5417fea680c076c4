"""Is an indicator value plausible? Warnings, never refusals: a value outside its indicator's
range, or a jump far beyond the institution's own quarter-to-quarter changes, is saved with a
warning that asks for a note (DHIS2 calls these min/max and outlier flags).

- **Range**: the indicator's optional `min` and `max` (indicators.csv). An indicator without
  either whose unit is a percentage (the unit contains "%" or "percent") is taken as 0–100.
- **Jump**: with at least `JUMP_MIN_HISTORY` earlier values of the same institution, the
  change from the latest earlier value is a jump when it is more than `JUMP_SDS` standard
  deviations of that series' earlier quarter-to-quarter changes (sample standard deviation;
  a series that never changed has no spread to compare with and is not flagged).

Pure: numbers in, messages out. The "Log a quarter" page shows them beside the cell and the
workbook import prints them (`tracker.writes.imports.plausible`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

JUMP_SDS = 4.0
JUMP_MIN_HISTORY = 6
PERCENT_RANGE = (0.0, 100.0)


@dataclass(frozen=True)
class IndicatorRange:
    """An indicator's name, unit and plausible range (None: unbounded on that side)."""

    name: str
    unit: str
    low: float | None = None
    high: float | None = None


def as_number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def is_percentage(unit: str) -> bool:
    text = unit.lower()
    return "%" in text or "percent" in text


def indicator_range(
    name: str, unit: str, low: object = None, high: object = None
) -> IndicatorRange:
    """The range of an indicator from its definition: its own `min`/`max`, else 0–100 for a
    percentage, else unbounded."""
    lo, hi = as_number(low), as_number(high)
    if lo is None and hi is None and is_percentage(unit):
        lo, hi = PERCENT_RANGE
    return IndicatorRange(name, unit, lo, hi)


def _text(number: float) -> str:
    return f"{number:g}"


@dataclass(frozen=True)
class Doubt:
    """One reason to look again at a value: `kind` is "range" or "jump"."""

    kind: str
    message: str


def range_warning(value: float, limits: IndicatorRange) -> Doubt | None:
    if limits.low is not None and value < limits.low:
        bound = f"below the plausible minimum of {_text(limits.low)}"
    elif limits.high is not None and value > limits.high:
        bound = f"above the plausible maximum of {_text(limits.high)}"
    else:
        return None
    return Doubt("range", f"{_text(value)} is {bound} for {limits.name} ({limits.unit}).")


def jump_warning(value: float, history: Sequence[float], name: str) -> Doubt | None:
    """`history`: the institution's earlier values of the indicator, oldest first."""
    earlier = [h for h in (as_number(v) for v in history) if h is not None]
    if len(earlier) < JUMP_MIN_HISTORY:
        return None
    changes = [b - a for a, b in itertools.pairwise(earlier)]
    mean = sum(changes) / len(changes)
    spread = math.sqrt(sum((c - mean) ** 2 for c in changes) / (len(changes) - 1))
    if spread == 0:
        return None
    step = value - earlier[-1]
    if abs(step) <= JUMP_SDS * spread:
        return None
    return Doubt(
        "jump",
        f"{_text(value)} is a jump of {step:+g} from {_text(earlier[-1])} for {name}: more than "
        f"{_text(JUMP_SDS)} times the usual quarter-to-quarter change of this institution "
        f"(standard deviation {spread:.2g}).",
    )


def value_warnings(
    value: float | None, limits: IndicatorRange, history: Sequence[float] = ()
) -> list[Doubt]:
    """Every warning for one value (none for an empty cell)."""
    number = as_number(value)
    if number is None:
        return []
    found = [range_warning(number, limits), jump_warning(number, history, limits.name)]
    return [w for w in found if w is not None]
