"""The analysis parameters: the defaults of product.md's "Analysis rules", each configurable.

Declared as data with help text, so that the CLI, the README and every result show the same
words. Every result echoes `Parameters.to_json()` so that a number is never read without the
rules that produced it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

# The version of the analysis method: stored results made by another version are stale and
# are recomputed on their next read (`tracker.store`). Raise it with every change to what
# `analyse` returns for the same records and parameters (a rule, a sentence, a key).
ANALYSIS_METHOD_VERSION = 4


@dataclass(frozen=True)
class ParameterHelp:
    """One parameter as a user sees it: its name, default and what it means."""

    name: str
    default: Any
    help: str


@dataclass(frozen=True)
class Parameters:
    """The rules an analysis runs with (product.md, "Analysis rules")."""

    window_months: int = field(
        default=12,
        metadata={
            "help": "months after a turnover within which a reversal counts against a change, "
            "and after which persistence must be confirmed by a status record"
        },
    )
    indicator_tolerance: float = field(
        default=0.1,
        metadata={
            "help": "how much worse than the pre-turnover mean (as a share of |pre mean|) the "
            "post-turnover mean of an indicator may be and still have held"
        },
    )
    as_of: dt.date | None = field(
        default=None,
        metadata={
            "help": "the date the analysis is evaluated at; nothing after it is used "
            "(default: each institution's latest dated record that is not after today)"
        },
    )
    pre_quarters: int = field(
        default=4,
        metadata={"help": "quarters before the quarter of a turnover compared for indicators"},
    )
    post_quarters: int = field(
        default=4,
        metadata={"help": "quarters after the quarter of a turnover compared for indicators"},
    )
    min_values_per_side: int = field(
        default=2,
        metadata={
            "help": "fewest indicator values needed on each side of a turnover; fewer gives "
            "insufficient_data"
        },
    )
    practice_quarters: int = field(
        default=4,
        metadata={
            "help": "quarters at each end of an indicator's record compared to judge practice "
            "change (the earliest against the latest values)"
        },
    )
    renewal_gap_days: int = field(
        default=31,
        metadata={
            "help": "rows of one partner (or of one holder in one role) that touch or overlap, "
            "the next starting at most this many days after the end, are one engagement (or "
            "tenure): a renewal is not a withdrawal"
        },
    )
    parent_turnovers: bool = field(
        default=False,
        metadata={
            "help": "whether a leadership turnover at an institution's parent (a trust's chief "
            "executive) also tests the changes of each member institution"
        },
    )
    its_min_quarters: int = field(
        default=6,
        metadata={
            "help": "fewest quarterly values needed on each side of a turnover before a "
            "segmented regression (interrupted time series) is shown"
        },
    )

    its_seasonal: bool = field(
        default=False,
        metadata={
            "help": "whether the segmented regression adds quarter-of-year terms (for an "
            "indicator with a regular seasonal pattern)"
        },
    )

    def __post_init__(self) -> None:
        if self.window_months < 0:
            raise ValueError("window_months must not be negative")
        if self.renewal_gap_days < 0:
            raise ValueError("renewal_gap_days must not be negative")
        if self.indicator_tolerance < 0:
            raise ValueError("indicator_tolerance must not be negative")
        for name in ("pre_quarters", "post_quarters", "min_values_per_side", "practice_quarters"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        # Two points per side is the least a line through each segment can be fitted to.
        if self.its_min_quarters < 2:
            raise ValueError("its_min_quarters must be at least 2")

    def to_json(self) -> dict[str, Any]:
        """Every parameter as plain JSON (`as_of` an ISO date string or null).

        The first three keys are the contract of interfaces.md; the rest are added.
        """
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            out[item.name] = value.isoformat() if isinstance(value, dt.date) else value
        return out


def parameter_help() -> list[ParameterHelp]:
    """The parameters in declaration order with their defaults and help text."""
    return [
        ParameterHelp(name=item.name, default=item.default, help=item.metadata["help"])
        for item in fields(Parameters)
    ]
