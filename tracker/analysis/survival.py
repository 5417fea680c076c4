"""Survival of structural changes over time (Kaplan–Meier), tested by a turnover or not.

A change's life runs from its adoption date to its first `reversed` or `superseded` status
record (an *event*); a change with no such record on or before its institution's as-of date is
*censored* at the as-of date: we know it lasted at least that long, not how long it will last.

Two groups are drawn: changes that a turnover has tested (persistence tests exist for them) and
changes that no turnover has tested. The curves are descriptive. They are not a comparison of
like with like: a change must still be in force when a turnover comes to test it, so the tested
group has survived at least until its first turnover by construction (immortal time), and
institutions with turnovers differ in many ways from those without. The optional log-rank test is
reported as a description of how the curves differ, never as a causal comparison.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from tracker.vocab import ENDING_STATUSES

TESTED = "tested by a turnover"
NOT_TESTED = "not tested by a turnover"
GROUPS = (TESTED, NOT_TESTED)

# Below these, a Kaplan–Meier curve is too noisy to read as more than a description.
MIN_CHANGES = 20
MIN_EVENTS = 5
FEW_CHANGES = "few changes: read as descriptive only"

# An average month, so that durations in days read as months (365.25 days / 12).
DAYS_PER_MONTH = 365.25 / 12
_Z95 = 1.959963984540054

DURATION_COLUMNS = ("institution", "change", "group", "adopted", "end", "months", "event")
CURVE_COLUMNS = ("group", "months", "survival", "ci_lower", "ci_upper", "at_risk", "events")

IMMORTAL_TIME_NOTE = (
    "A change must still be in force when a turnover comes to test it, so changes tested by a "
    "turnover have survived at least until that turnover by construction; the two curves "
    "describe what happened, they do not compare like with like."
)


def change_durations(
    changes: pd.DataFrame,
    change_status: pd.DataFrame,
    *,
    as_of: pd.Series | dt.date,
    tested: Iterable[str],
) -> pd.DataFrame:
    """One row per change adopted on or before its institution's as-of date.

    Columns `DURATION_COLUMNS`: `end` is the first reversed/superseded status date on or before
    as-of (`event` True) or the as-of date (`event` False, censored); `months` is the time from
    adoption to `end` in average months (never negative). `as_of` is one date for all, or a
    series indexed by institution; institutions missing from it are left out.
    `tested` holds the keys of the changes that a turnover has tested.
    """
    frame = changes[["key", "institution", "adopted"]].rename(columns={"key": "change"})
    if isinstance(as_of, pd.Series):
        dates = pd.to_datetime(as_of.reindex(frame["institution"]).to_numpy())
        frame = frame.assign(as_of=dates)
    else:
        frame = frame.assign(as_of=pd.Timestamp(as_of))
    frame = frame[frame["adopted"].notna() & (frame["adopted"] <= frame["as_of"])]

    endings = change_status[change_status["status"].isin(ENDING_STATUSES)][["change", "date"]]
    endings = endings.merge(frame[["change", "as_of"]], on="change")
    endings = endings[endings["date"] <= endings["as_of"]]
    first_end = endings.groupby("change")["date"].min().rename("ended")

    frame = frame.join(first_end, on="change")
    event = frame["ended"].notna()
    end = frame["ended"].where(event, frame["as_of"])
    days = (end - frame["adopted"]).dt.days.clip(lower=0)
    tested_keys = set(tested)
    group = np.where(frame["change"].isin(tested_keys), TESTED, NOT_TESTED)
    out = pd.DataFrame(
        {
            "institution": frame["institution"].to_numpy(),
            "change": frame["change"].to_numpy(),
            "group": group,
            "adopted": frame["adopted"].to_numpy(),
            "end": end.to_numpy(),
            "months": (days / DAYS_PER_MONTH).to_numpy(dtype="float64"),
            "event": event.to_numpy(dtype=bool),
        }
    )
    return out.sort_values(["institution", "change"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class GroupSurvival:
    """The size of one group and the caveat that goes with it."""

    group: str
    n: int
    events: int
    caveat: str | None

    @property
    def sentence(self) -> str:
        changes = "change" if self.n == 1 else "changes"
        ended = "was" if self.events == 1 else "were"
        text = (
            f"{self.n} {changes} {self.group}; {self.events} {ended} reversed or superseded "
            f"on or before the as-of date"
        )
        return f"{text}." if self.caveat is None else f"{text}; {self.caveat}."

    def to_json(self) -> dict[str, Any]:
        return {"group": self.group, "n": self.n, "events": self.events, "caveat": self.caveat}


@dataclass(frozen=True)
class SurvivalResult:
    """Kaplan–Meier curves per group as a tidy frame, group sizes, caveats, a log-rank test."""

    curves: pd.DataFrame  # CURVE_COLUMNS
    groups: tuple[GroupSurvival, ...]
    logrank_statistic: float | None = None
    logrank_p: float | None = None

    @property
    def caveats(self) -> tuple[str, ...]:
        """Every caveat a reader needs, in plain words."""
        notes = [group.sentence for group in self.groups if group.caveat is not None]
        notes.append(IMMORTAL_TIME_NOTE)
        return tuple(notes)

    @property
    def logrank_sentence(self) -> str:
        if self.logrank_statistic is None or self.logrank_p is None:
            return (
                "No log-rank test: it needs changes in both groups and at least one event while "
                "both groups still have changes at risk."
            )
        return (
            f"Log-rank test, descriptive only and not a causal comparison: chi-square "
            f"{self.logrank_statistic:.2f} on 1 degree of freedom, p = {self.logrank_p:.3f}."
        )

    def to_json(self) -> dict[str, Any]:
        records = self.curves.to_dict(orient="records")
        return {
            "groups": [group.to_json() for group in self.groups],
            "curves": [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                for row in records
            ],
            "logrank": None
            if self.logrank_statistic is None
            else {"statistic": self.logrank_statistic, "p_value": self.logrank_p},
            "caveats": list(self.caveats),
        }


def _caveat(n: int, events: int) -> str | None:
    if n == 0:
        return "no changes in this group"
    if n < MIN_CHANGES or events < MIN_EVENTS:
        return FEW_CHANGES
    return None


def _log_log_interval(survival: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise 95% interval on the log(-log S) scale, which keeps it within [0, 1]."""
    lower = survival.copy()
    upper = survival.copy()
    inside = (survival > 0) & (survival < 1) & np.isfinite(se)
    s = survival[inside]
    sigma = se[inside] / (s * np.abs(np.log(s)))
    lower[inside] = s ** np.exp(_Z95 * sigma)
    upper[inside] = s ** np.exp(-_Z95 * sigma)
    return lower, upper


def _curve(group: str, months: np.ndarray, event: np.ndarray) -> pd.DataFrame:
    fit = SurvfuncRight(months, event.astype(float))
    times = np.asarray(fit.surv_times, dtype=float)
    survival = np.asarray(fit.surv_prob, dtype=float)
    lower, upper = _log_log_interval(survival, np.asarray(fit.surv_prob_se, dtype=float))
    steps = pd.DataFrame(
        {
            "months": times,
            "survival": survival,
            "ci_lower": lower,
            "ci_upper": upper,
            "at_risk": np.asarray(fit.n_risk, dtype=int),
            "events": np.asarray(fit.n_events, dtype=int),
        }
    )
    rows = [steps]
    # The curve starts at 1 on adoption and runs on to the longest follow-up, so that it can be
    # drawn as steps over the whole observed time.
    if not len(times) or times[0] > 0:
        start = {"months": 0.0, "survival": 1.0, "ci_lower": 1.0, "ci_upper": 1.0}
        rows.insert(0, pd.DataFrame([{**start, "at_risk": len(months), "events": 0}]))
    longest = float(months.max())
    if not len(times) or longest > times[-1]:
        last = survival[-1] if len(survival) else 1.0
        tail = {
            "months": longest,
            "survival": last,
            "ci_lower": lower[-1] if len(lower) else 1.0,
            "ci_upper": upper[-1] if len(upper) else 1.0,
            "at_risk": int((months >= longest).sum()),
            "events": 0,
        }
        rows.append(pd.DataFrame([tail]))
    out = pd.concat(rows, ignore_index=True)
    out.insert(0, "group", group)
    return out


def survival_of_changes(durations: pd.DataFrame, *, logrank: bool = True) -> SurvivalResult:
    """Kaplan–Meier survival per group of `change_durations` output, with caveats.

    Groups with no changes have no curve rows; a group with fewer than `MIN_CHANGES` changes or
    `MIN_EVENTS` events carries the caveat "few changes: read as descriptive only".
    """
    curves: list[pd.DataFrame] = []
    groups: list[GroupSurvival] = []
    for group in GROUPS:
        rows = durations[durations["group"] == group]
        months = rows["months"].to_numpy(dtype=float)
        event = rows["event"].to_numpy(dtype=bool)
        n, events = len(rows), int(event.sum())
        groups.append(GroupSurvival(group=group, n=n, events=events, caveat=_caveat(n, events)))
        if n:
            curves.append(_curve(group, months, event))
    frame = (
        pd.concat(curves, ignore_index=True)
        if curves
        else pd.DataFrame({column: pd.Series(dtype="float64") for column in CURVE_COLUMNS})
    )
    statistic: float | None = None
    p_value: float | None = None
    both = all(group.n for group in groups)
    if logrank and both and durations["event"].any():
        try:
            chi2, p = survdiff(
                durations["months"].to_numpy(dtype=float),
                durations["event"].to_numpy(dtype=float),
                durations["group"].to_numpy(),
            )
        except np.linalg.LinAlgError:
            # Every event fell when only one group still had changes at risk: the statistic's
            # variance is zero, so there is no test to report (not an error in the data).
            chi2, p = math.nan, math.nan
        if math.isfinite(float(chi2)):
            statistic, p_value = float(chi2), float(p)
    return SurvivalResult(
        curves=frame[list(CURVE_COLUMNS)],
        groups=tuple(groups),
        logrank_statistic=statistic,
        logrank_p=p_value,
    )
