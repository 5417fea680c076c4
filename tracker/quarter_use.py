"""Which quarters a funder reads: approved ones by default.

A quarter's reported values (its `indicator_values` and `observations`) reach a funder only once
a reviewer approved the quarter. With TRACKER_FUNDERS_SEE_SUBMITTED (or
`include_submitted=True`) a funder also reads submitted quarters not yet approved, each value
marked "submitted, not yet approved" in its note. Every other record (leadership, changes,
decisions, evidence…) is read as before. `QuarterUse` says which quarters were used and how
many were left out, so that the analysis and the pages can say so.

Pure: works on a `Dataset` and a map of quarter states (no database here).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from tracker.dataset import Dataset

QUARTERLY_TABLES = ("indicator_values", "observations")
SUBMITTED_MARK = "submitted, not yet approved"


@dataclass(frozen=True)
class QuarterUse:
    """The quarters (institution, period) whose reported values were read, and those left out."""

    approved: tuple[tuple[str, str], ...]
    submitted_shown: tuple[tuple[str, str], ...]
    not_approved: tuple[tuple[str, str], ...]
    # Each quarter left out with its state (open, submitted, returned): why it was left out.
    left_out_states: tuple[tuple[str, str, str], ...] = ()

    def lines(self) -> list[str]:
        """E.g. ``Quarters used: 6 approved (northdale 2024Q1, …); 2 not yet approved left out``."""
        used = ", ".join(f"{i} {p}" for i, p in self.approved) or "none"
        lines = [f"Quarters used: {len(self.approved)} approved ({used})."]
        if self.submitted_shown:
            shown = ", ".join(f"{i} {p}" for i, p in self.submitted_shown)
            lines.append(
                f"Also shown, marked '{SUBMITTED_MARK}': {len(self.submitted_shown)} ({shown})."
            )
        if self.not_approved:
            lines.append(
                f"{len(self.not_approved)} quarter(s) with values not yet approved were left out"
                + (": " + "; ".join(self.left_out_lines()) + "." if self.left_out_states else ".")
            )
        return lines

    def left_out_lines(self) -> list[str]:
        """The quarters left out, grouped by why: e.g. ``never submitted: wigan 2024Q1–2024Q3``."""
        grouped: dict[str, dict[str, list[str]]] = {}
        for institution, period, state in self.left_out_states:
            why = LEFT_OUT_WHY.get(state, state)
            grouped.setdefault(why, {}).setdefault(institution, []).append(period)
        return [
            f"{why}: " + ", ".join(f"{i} {_span(ps)}" for i, ps in sorted(per.items()))
            for why, per in grouped.items()
        ]


# Why a quarter with values is not read by a funder, by its review state.
LEFT_OUT_WHY = {
    "open": "never submitted for review",
    "submitted": "submitted, awaiting review",
    "returned": "returned for corrections",
}


def _span(periods: list[str]) -> str:
    """"2024Q1–2024Q3" for one run of quarters; the quarters listed otherwise."""
    from tracker.periods import period_index

    ordered = sorted(periods, key=period_index)
    steps = [period_index(b) - period_index(a) for a, b in itertools.pairwise(ordered)]
    if len(ordered) > 2 and all(step == 1 for step in steps):
        return f"{ordered[0]}–{ordered[-1]} ({len(ordered)} quarters)"
    return ", ".join(ordered)


def _quarters(frame: pd.DataFrame) -> pd.Series:
    return frame["institution"].astype(str) + "|" + frame["period"].astype(str)


def funders_view(
    dataset: Dataset, states: Mapping[tuple[str, str], str], *, include_submitted: bool
) -> tuple[Dataset, QuarterUse]:
    """The data set a funder reads, and which quarters it holds."""
    wanted = {"approved", "submitted"} if include_submitted else {"approved"}
    keep = {f"{i}|{p}" for (i, p), s in states.items() if s in wanted}
    submitted = {f"{i}|{p}" for (i, p), s in states.items() if s == "submitted"}
    present: set[str] = set()
    frames = dict(dataset.frames)
    for name in QUARTERLY_TABLES:
        frame = dataset[name]
        quarters = _quarters(frame)
        present |= set(quarters)
        kept = frame[quarters.isin(keep).to_numpy()].reset_index(drop=True)
        if name == "indicator_values" and include_submitted and len(kept):
            marked = _quarters(kept).isin(submitted).to_numpy()
            notes = kept["note"].astype(object)
            kept.loc[marked, "note"] = [
                SUBMITTED_MARK if n is None or pd.isna(n) else f"{n} ({SUBMITTED_MARK})"
                for n in notes[marked]
            ]
        frames[name] = kept
    split = sorted(tuple(q.split("|", 1)) for q in present)
    approved = tuple((i, p) for i, p in split if states.get((i, p)) == "approved")
    shown = tuple((i, p) for i, p in split if include_submitted and f"{i}|{p}" in submitted)
    left_out = tuple((i, p) for i, p in split if f"{i}|{p}" not in keep)
    states_out = tuple((i, p, states.get((i, p), "open")) for i, p in left_out)
    return Dataset(frames), QuarterUse(approved, shown, left_out, states_out)
