"""What is still missing for an institution's quarter: the evaluator's checklist.

Four items (issue 4): the quarter's indicator values, the narrative, the leadership record
confirmed, and structural changes whose persistence awaits confirmation. Pure: a `Dataset` and
a few facts in, items out; the "Log a quarter" page shows them.

- Indicator values: the indicators the institution reports (those with a value in any quarter
  up to this one; every defined indicator when it has none yet) without a value this quarter.
- Narrative: an observation for the quarter.
- Leadership: the evaluator's confirmation for the quarter (`quarters.confirm_leadership`),
  or a leadership change logged in it (a tenure starting in the quarter: logging it is a
  statement about who holds the role); the item names the key roles that are vacant at the
  quarter's end, so the evaluator logs the successor or confirms the vacancy knowingly.
- Persistence: changes with a test whose verdict is `unconfirmed` as of the quarter's end (the
  window after a turnover has passed and no status record confirms the change): record a
  status dated on or after the window's end. Windows that closed more than a year before the
  quarter began are listed together in one line, not one line each in every later quarter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.dataset import Dataset
from tracker.periods import period_end, period_index, period_indexes, period_start

# Windows that closed more than this long before the quarter began are listed together, not
# one line each (they would otherwise repeat in every later quarter's checklist).
LONG_CLOSED_DAYS = 365


@dataclass(frozen=True)
class ChecklistItem:
    """One thing the quarter needs: done or not, and what exactly is missing."""

    key: str  # values | narrative | leadership | persistence
    label: str
    done: bool
    missing: tuple[str, ...] = ()
    hint: str = ""


def reported_indicators(dataset: Dataset, *, institution: str, period: str) -> list[str]:
    """The indicators the institution reports up to `period` (all defined ones if none yet)."""
    values = dataset["indicator_values"]
    own = values[values["institution"] == institution]
    if len(own):
        own = own[period_indexes(own["period"]) <= period_index(period)]
    if len(own):
        return sorted(set(own["indicator"]))
    return sorted(dataset["indicators"]["key"])


def _values_item(dataset: Dataset, institution: str, period: str) -> ChecklistItem:
    values = dataset["indicator_values"]
    entered = set(
        values[(values["institution"] == institution) & (values["period"] == period)]["indicator"]
    )
    wanted = reported_indicators(dataset, institution=institution, period=period)
    missing = tuple(key for key in wanted if key not in entered)
    return ChecklistItem(
        "values",
        "Indicator values",
        not missing,
        missing,
        f"{len(wanted) - len(missing)} of {len(wanted)} indicators have a value for {period}.",
    )


def _narrative_item(dataset: Dataset, institution: str, period: str) -> ChecklistItem:
    observations = dataset["observations"]
    found = (observations["institution"] == institution) & (observations["period"] == period)
    return ChecklistItem(
        "narrative",
        "The narrative",
        bool(found.any()),
        () if found.any() else (period,),
        "A short narrative of the quarter (and, if you can, the implementation stage).",
    )


def vacant_key_roles(dataset: Dataset, *, institution: str, on: dt.date) -> list[str]:
    """Key roles of the institution that nobody holds on day `on` (their last tenure ended)."""
    tenures = dataset["leadership"]
    own = tenures[(tenures["institution"] == institution) & tenures["key_role"].fillna(True)]
    day = pd.Timestamp(on)
    own = own[own["start"] <= day]
    vacant = []
    for role, rows in own.groupby("role"):
        holding = rows["end"].isna() | (rows["end"] >= day)
        if not holding.any():
            vacant.append(str(role))
    return sorted(vacant)


def _words(role: str) -> str:
    """A role key as a person reads it: `chief_executive` → "chief executive"."""
    return role.replace("_", " ")


def changes_logged(dataset: Dataset, *, institution: str, period: str) -> list[str]:
    """Roles of the institution with a tenure starting in the quarter: a logged leadership
    change (an end alone is not: it leaves the role vacant, which the evaluator confirms)."""
    tenures = dataset["leadership"]
    own = tenures[tenures["institution"] == institution]
    first, last = pd.Timestamp(period_start(period)), pd.Timestamp(period_end(period))
    return sorted({str(role) for role in own[own["start"].between(first, last)]["role"]})


def _leadership_item(
    dataset: Dataset, institution: str, period: str, confirmed: bool
) -> ChecklistItem:
    """Done when the evaluator confirmed the record, or logged a change in the quarter (which
    is a statement about who holds the role)."""
    logged = changes_logged(dataset, institution=institution, period=period)
    if confirmed or logged:
        hint = (
            f"Leadership change logged this quarter: {', '.join(_words(r) for r in logged)}."
            if logged
            else "The leadership record is confirmed for this quarter."
        )
        return ChecklistItem("leadership", "Leadership confirmed", True, (), hint)
    vacant = vacant_key_roles(dataset, institution=institution, on=period_end(period))
    hint = "Confirm who holds each key role this quarter, or log the change."
    if vacant:
        hint += f" Vacant at the quarter's end: {', '.join(_words(r) for r in vacant)}."
    return ChecklistItem("leadership", "Leadership confirmed", False, tuple(vacant), hint)


def awaiting_confirmation(
    dataset: Dataset, *, institution: str, period: str, params: Parameters | None = None
) -> list[str]:
    """Changes with an `unconfirmed` persistence test as of the quarter's end, each described
    with the turnover and the date from which a status confirms it."""
    if dataset["changes"].empty:
        return []
    rules = params or Parameters()
    as_of = Parameters(
        window_months=rules.window_months,
        indicator_tolerance=rules.indicator_tolerance,
        as_of=period_end(period),
    )
    result = analyse(dataset, as_of, institutions=[institution]).institution(institution)
    changes = dataset["changes"]
    titles = {str(k): str(t) for k, t in zip(changes["key"], changes["title"], strict=True)}
    recent, closed = [], []
    long_ago = period_start(period) - dt.timedelta(days=LONG_CLOSED_DAYS)
    for change in result.changes:
        for test in change.tests:
            if test.verdict != "unconfirmed":
                continue
            name = titles.get(change.change, change.change)
            if test.window_end < long_ago:
                closed.append(name)
                continue
            recent.append(
                f"{name}: tested by the {_words(test.turnover.label)}; record its status on or "
                f"after {test.window_end.isoformat()}"
            )
    if closed:
        names = sorted(set(closed))
        recent.append(
            f"{len(names)} change{'s' if len(names) != 1 else ''} whose window closed before "
            f"{long_ago.isoformat()}: {', '.join(names)} (one status record each confirms them)"
        )
    return recent


def quarter_checklist(
    dataset: Dataset,
    *,
    institution: str,
    period: str,
    leadership_confirmed: bool,
    params: Parameters | None = None,
) -> list[ChecklistItem]:
    """The quarter's checklist (see the module docstring), in the order an evaluator works."""
    awaiting = awaiting_confirmation(dataset, institution=institution, period=period, params=params)
    return [
        _values_item(dataset, institution, period),
        _leadership_item(dataset, institution, period, leadership_confirmed),
        ChecklistItem(
            "persistence",
            "Changes whose persistence awaits confirmation",
            not awaiting,
            tuple(awaiting),
            "A status record (in force, weakened, reversed or superseded) confirms what held.",
        ),
        _narrative_item(dataset, institution, period),
    ]
