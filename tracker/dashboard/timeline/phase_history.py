"""The phase of one institution over time: its phase as of every year end, then as of its
as-of date (pure: no Streamlit, no database).

The analysis takes one as-of date for every institution it analyses, but is vectorised over
institutions. So rather than run it once per date, `phases_over_time` builds one *snapshot* of
the institution per date — the institution as known on that day, under its own key — and
analyses all snapshots in one run. A snapshot of date D holds:
- every record dated on or before D (a tenure, partnership, activity or factor that started
  by D, a change adopted by D, a status record, decision, evidence item or diagnostics dated by
  D, an indicator value or observation of a quarter that ended by D);
- end dates after D blanked: on D the span was still open (as `asof.end_unknown_after_as_of`);
- one marker factor starting on D, so that the snapshot's as-of date is exactly D.
`phase_at` is the same question asked one date at a time; the tests hold the two equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from tracker.analysis.asof import period_end_dates
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.dataset import Dataset
from tracker.workbook.schema import TABLE_NAMES

PHASE_COLUMNS = ("start", "end", "phase")

# Per table, the date that says when a record became known, and the end date of a span.
_KNOWN_FROM = {
    "leadership": "start",
    "partners": "start",
    "activities": "start",
    "factors": "start",
    "changes": "adopted",
    "change_status": "date",
    "decisions": "date",
    "evidence": "date",
    "diagnostics": "date",
}
_SPAN_ENDS = {"leadership": "end", "partners": "end", "activities": "end", "factors": "end"}
_QUARTERLY = ("indicator_values", "observations")
# Key columns renamed per snapshot, so that snapshots never share a change, decision, claim or
# evidence item (the analysis joins on these keys).
_OWN_KEYS = {
    "changes": ("key",),
    "change_status": ("change",),
    "decisions": ("key",),
    "claims": ("key",),
    "evidence": ("key", "claim", "record"),
}
MARKER_TITLE = "(snapshot date)"


def phase_dates(start: dt.date, as_of: dt.date) -> list[dt.date]:
    """The dates at which the phase is worked out: every year end after `start`, then as-of."""
    dates = [dt.date(year, 12, 31) for year in range(start.year, as_of.year)]
    return [*dates, as_of]


def phase_at(dataset: Dataset, institution: str, params: Parameters, date: dt.date) -> str:
    """The institution's phase as of `date` (an analysis of this institution only)."""
    mine = dataset.institutions_only([institution])
    return analyse(mine, replace(params, as_of=date)).institution(institution).phase.phase


def snapshot_key(institution: str, date: dt.date) -> str:
    return f"{institution}@{date.isoformat()}"


def _suffixed(values: pd.Series, suffix: str) -> pd.Series:
    return values.where(values.isna(), values.astype(str) + suffix)


def _snapshot(mine: Dataset, institution: str, date: dt.date) -> dict[str, pd.DataFrame]:
    """The institution as known on `date`, under the key `snapshot_key(institution, date)`."""
    day = pd.Timestamp(date)
    key = snapshot_key(institution, date)
    suffix = key[len(institution):]
    out: dict[str, pd.DataFrame] = {}
    for name in TABLE_NAMES:
        frame = mine[name]
        if name in _KNOWN_FROM:
            frame = frame[frame[_KNOWN_FROM[name]] <= day]
        if name in _QUARTERLY:
            frame = frame[period_end_dates(frame["period"]) <= day]
        frame = frame.copy()
        if name in _SPAN_ENDS:
            end = _SPAN_ENDS[name]
            frame[end] = frame[end].where(frame[end] <= day)
        for column in _OWN_KEYS.get(name, ()):
            frame[column] = _suffixed(frame[column], suffix)
        if name == "institutions":
            frame["key"] = key
        elif "institution" in frame:
            frame["institution"] = key
        out[name] = frame
    marker = pd.DataFrame({"institution": [key], "title": [MARKER_TITLE], "start": [day]})
    out["factors"] = pd.concat([out["factors"], marker], ignore_index=True)
    return out


def phases_over_time(
    dataset: Dataset, institution: str, params: Parameters, dates: list[dt.date]
) -> list[str]:
    """The institution's phase as of each date, by one analysis of one snapshot per date."""
    if not dates:
        return []
    mine = dataset.institutions_only([institution])
    snapshots = [_snapshot(mine, institution, date) for date in dates]
    frames = {
        name: pd.concat([snapshot[name] for snapshot in snapshots], ignore_index=True)
        for name in TABLE_NAMES
        if name != "portfolios"
    }
    # The shared definitions appear once, not once per snapshot.
    frames["indicators"] = mine["indicators"]
    frames["places"] = mine["places"]
    result = analyse(Dataset.from_frames(frames), replace(params, as_of=None))
    phases = result.phases.set_index("institution")["phase"]
    return [str(phases[snapshot_key(institution, date)]) for date in dates]


def phase_stretches(dates: list[dt.date], phases: list[str]) -> pd.DataFrame:
    """The phase over time as stretches (start, end, phase).

    The phase as of a date describes the stretch that ends on it, so each stretch runs from
    the previous date (the first from the start of its year) to its own date.
    """
    starts = [dt.date(dates[0].year, 1, 1), *dates[:-1]] if dates else []
    frame = pd.DataFrame(
        {
            "start": pd.to_datetime(pd.Series(starts, dtype=object)),
            "end": pd.to_datetime(pd.Series(dates, dtype=object)),
            "phase": pd.Series(phases, dtype=object),
        },
        columns=list(PHASE_COLUMNS),
    )
    return frame.astype({"start": "datetime64[ns]", "end": "datetime64[ns]"})
