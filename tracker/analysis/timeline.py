"""The frames behind one institution's persistence timeline (pure: no Streamlit, no database).

`institution_timeline` regroups the data set and the analysis result of one institution into
the tidy frames the chart draws: indicator values per quarter, turnovers, structural changes as
status spans, and decisions (the dashboard's `phase_history` adds the phase over time). Nothing
dated after the as-of date is drawn: a change still in force is drawn up to the as-of date, the
last day the analysis knows about. The story report draws the same frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from tracker.analysis.results import InstitutionResult, TurnoverRef
from tracker.dataset import Dataset
from tracker.periods import period_start
from tracker.vocab import ENDING_STATUSES

VALUE_COLUMNS = ("indicator", "name", "unit", "period", "date", "value")
TURNOVER_COLUMNS = ("kind", "date", "role", "partner", "label")
SPAN_COLUMNS = ("change", "title", "status", "start", "end", "summary")
DECISION_COLUMNS = ("decision", "title", "date", "kind", "cost", "cost_note")

# Where a quarter's value is drawn: the middle of the quarter, so that a turnover on the last
# day of a quarter is visibly between that quarter's value and the next.
_MID_QUARTER = pd.Timedelta(days=45)


@dataclass(frozen=True)
class Timeline:
    """Everything the persistence timeline of one institution draws."""

    institution: str
    name: str
    as_of: dt.date | None
    values: pd.DataFrame  # VALUE_COLUMNS
    turnovers: pd.DataFrame  # TURNOVER_COLUMNS
    spans: pd.DataFrame  # SPAN_COLUMNS: one row per stretch of one status of one change
    decisions: pd.DataFrame  # DECISION_COLUMNS
    phases: pd.DataFrame  # phase_history.PHASE_COLUMNS (empty until `with_phases`)

    @property
    def start(self) -> dt.date | None:
        """The earliest date drawn (the left edge of every panel)."""
        dates = [
            frame[column].min()
            for frame, column in (
                (self.values, "date"),
                (self.turnovers, "date"),
                (self.spans, "start"),
                (self.decisions, "date"),
            )
            if len(frame)
        ]
        return pd.Timestamp(min(dates)).date() if dates else None

    def with_phases(self, phases: pd.DataFrame) -> Timeline:
        return replace(self, phases=phases)


def turnover_label(turnover: TurnoverRef) -> str:
    """What a turnover is called on the chart: which role changed, or which partner left."""
    if turnover.kind == "leadership":
        return f"{(turnover.role or 'key role').replace('_', ' ')} changed"
    return f"{turnover.partner or 'partner'} withdrew"


def _turnovers(result: InstitutionResult) -> pd.DataFrame:
    rows = [
        {
            "kind": item.kind,
            "date": pd.Timestamp(item.date),
            "role": item.role,
            "partner": item.partner,
            "label": turnover_label(item),
        }
        for item in result.turnovers
    ]
    return pd.DataFrame(rows, columns=list(TURNOVER_COLUMNS)).astype({"date": "datetime64[ns]"})


def _values(dataset: Dataset, institution: str, as_of: pd.Timestamp | None) -> pd.DataFrame:
    values = dataset["indicator_values"]
    values = values[values["institution"] == institution]
    if values.empty:
        return pd.DataFrame(columns=list(VALUE_COLUMNS)).astype({"date": "datetime64[ns]"})
    starts = pd.to_datetime(values["period"].map(period_start))
    out = values.assign(date=starts + _MID_QUARTER)
    if as_of is not None:
        # A quarter counts when it has ended by the as-of date (as in the analysis).
        out = out[starts + pd.DateOffset(months=3) - pd.Timedelta(days=1) <= as_of]
    definitions = dataset["indicators"].drop_duplicates("key").set_index("key")
    out = out.assign(
        name=out["indicator"].map(definitions["name"]).fillna(out["indicator"]),
        unit=out["indicator"].map(definitions["unit"]).fillna(""),
    )
    return out[list(VALUE_COLUMNS)].sort_values(["indicator", "date"]).reset_index(drop=True)


def _spans(
    dataset: Dataset, institution: str, result: InstitutionResult, as_of: pd.Timestamp | None
) -> pd.DataFrame:
    changes = dataset["changes"]
    changes = changes[changes["institution"] == institution]
    statuses = dataset["change_status"]
    summaries = {item.change: item.summary for item in result.changes}
    rows: list[dict[str, object]] = []
    for change in changes.sort_values(["adopted", "key"]).to_dict("records"):
        adopted = pd.Timestamp(change["adopted"])
        if as_of is not None and adopted > as_of:
            continue
        history = statuses[statuses["change"] == change["key"]].sort_values("date")
        if as_of is not None:
            history = history[history["date"] <= as_of]
        current, since = "in_force", adopted
        end: pd.Timestamp | None = None
        for record in history.to_dict("records"):
            date, status = pd.Timestamp(record["date"]), str(record["status"])
            if status == current:
                continue  # a confirmation: the stretch goes on
            if date > since:
                rows.append(_span(change, current, since, date, summaries))
            current, since = status, date
            if status in ENDING_STATUSES:
                end = date
                break
        last = end if end is not None else (as_of if as_of is not None else since)
        # An ending status is drawn as a one-day stretch so that its word and colour show.
        stop = last + pd.Timedelta(days=1) if end is not None else last
        rows.append(_span(change, current, since, max(stop, since), summaries))
    frame = pd.DataFrame(rows, columns=list(SPAN_COLUMNS))
    return frame.astype({"start": "datetime64[ns]", "end": "datetime64[ns]"})


def _span(
    change: Mapping[Hashable, Any],
    status: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    summaries: dict[str, str],
) -> dict[str, object]:
    key = str(change["key"])
    return {
        "change": key,
        "title": str(change["title"]),
        "status": status,
        "start": start,
        "end": end,
        "summary": summaries.get(key, "untested"),
    }


def decision_kind(reverses: bool, community: bool, cost: str | None) -> str:
    """How a decision is marked: costly reversals (the diagnostic question) stand apart."""
    costly = cost is not None and cost != "none"
    if reverses and community and costly:
        return "costly reversal"
    if reverses:
        return "reversal"
    if community:
        return "because of the community"
    return "decision"


def _decisions(dataset: Dataset, institution: str, as_of: pd.Timestamp | None) -> pd.DataFrame:
    decisions = dataset["decisions"]
    decisions = decisions[decisions["institution"] == institution]
    if as_of is not None:
        decisions = decisions[decisions["date"] <= as_of]
    rows = [
        {
            "decision": row["key"],
            "title": row["title"],
            "date": row["date"],
            "kind": decision_kind(
                bool(row["reverses_earlier"]) if pd.notna(row["reverses_earlier"]) else False,
                bool(row["because_of_community"])
                if pd.notna(row["because_of_community"])
                else False,
                row["cost"],
            ),
            "cost": row["cost"],
            "cost_note": row["cost_note"],
        }
        for row in decisions.sort_values("date").to_dict("records")
    ]
    frame = pd.DataFrame(rows, columns=list(DECISION_COLUMNS))
    return frame.astype({"date": "datetime64[ns]"})


def institution_timeline(dataset: Dataset, result: InstitutionResult) -> Timeline:
    """The timeline frames of `result.institution` (phases empty: see `phase_history`)."""
    key = result.institution
    as_of = pd.Timestamp(result.as_of) if result.as_of else None
    names = dataset["institutions"].set_index("key")["name"]
    return Timeline(
        institution=key,
        name=str(names.get(key, key)),
        as_of=result.as_of,
        values=_values(dataset, key, as_of),
        turnovers=_turnovers(result),
        spans=_spans(dataset, key, result, as_of),
        decisions=_decisions(dataset, key, as_of),
        phases=pd.DataFrame(columns=["start", "end", "phase"]),
    )
