"""Spans normalised once, as of a date: tenures and engagements as the analysis reads them.

Every turnover is derived from these spans, so each rule below is applied in one place:

- **The as-of cut.** Only rows that started on or before the as-of date D are read. An end
  recorded after D is a *planned* end: as of D the span is still running, so it gives no turnover
  and no implied end (`planned_end` keeps the date for display). The implied-end rule applies
  only to a span with no recorded end at all.
- **Renewals.** Rows of one partner at one institution, or of one holder in one role, that touch
  or overlap (the next starts no more than `gap_days` after the end reached so far) are one span:
  a renewal or a re-appointment is not a withdrawal or a change of holder. Rows further apart are
  separate spans (a holder who returns after a vacancy: the departure stays a turnover).
- **Nested tenures.** In a role that is not shared, a tenure wholly inside another one (the
  import refuses it) is not a change of holder: nothing is inferred from an overlap.

Everything works on whole columns (sorted groups, shifts and running maxima), not one group at a
time: at national scale there are hundreds of thousands of tenures.
"""

from __future__ import annotations

import pandas as pd

from tracker.analysis.asof import with_as_of

SPAN_COLUMNS = (
    "institution",
    "group",  # the role (tenures) or the partner (engagements)
    "holder",  # the holder (tenures) or the partner (engagements)
    "start",
    "end",  # the end as of D: a recorded end on or before D; NaT while running
    "no_recorded_end",  # running with no end recorded at all (the implied-end rule applies)
    "planned_end",  # the latest end recorded after D, when the span is running because of it
    "n_rows",  # how many rows were merged into the span
    "as_of",
)

# Stands for "not ended" in running maxima of end dates.
_OPEN = pd.Timestamp("2200-01-01")


def cut_at_as_of(frame: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Rows started on or before their institution's as-of date, with the end as of then."""
    out = with_as_of(frame, as_of)
    out = out[out["start"] <= out["as_of"]].copy()
    recorded = out["end"]
    out["planned_end"] = recorded.where(recorded > out["as_of"])
    out["no_recorded_end"] = recorded.isna()
    out["end"] = recorded.where(recorded <= out["as_of"])
    return out


def merged_spans(
    frame: pd.DataFrame,
    as_of: pd.Series,
    *,
    group: str,
    holder: str,
    gap_days: int,
) -> pd.DataFrame:
    """Rows of one (institution, `group`, `holder`) that touch or overlap merged into one span.

    `frame` has `institution`, `group`, `holder`, `start`, `end` columns. Returns columns
    `SPAN_COLUMNS` (with `group` and `holder` named as given), sorted by institution, group,
    start (then the longest first), as of each institution's date in `as_of`.
    """
    rows = cut_at_as_of(frame, as_of)
    rows = rows.sort_values(["institution", group, holder, "start"], kind="stable")
    reach = rows["end"].fillna(_OPEN)
    keys = [rows["institution"], rows[group], rows[holder]]
    # The furthest end reached by the earlier rows of the same holder: a row starting more than
    # `gap_days` after it begins a new span (interval merging over sorted starts).
    reached = reach.groupby(keys, sort=False).cummax()
    before = reached.groupby(keys, sort=False).shift(1)
    new_span = before.isna() | (rows["start"] > before + pd.Timedelta(days=gap_days))
    span_id = new_span.cumsum()
    spans = rows.assign(_reach=reach, _span=span_id).groupby("_span", sort=False)
    out = pd.DataFrame(
        {
            "institution": spans["institution"].first(),
            group: spans[group].first(),
            holder: spans[holder].first(),
            "start": spans["start"].min(),
            "_reach": spans["_reach"].max(),
            "_no_end": spans["no_recorded_end"].any(),
            "planned_end": spans["planned_end"].max(),
            "n_rows": spans["start"].size(),
            "as_of": spans["as_of"].first(),
        }
    )
    running = out["_reach"] == _OPEN
    out["end"] = out["_reach"].where(~running)
    # A planned end is a recorded end: the implied-end rule is only for a span with none.
    out["no_recorded_end"] = running & out["_no_end"] & out["planned_end"].isna()
    out["planned_end"] = out["planned_end"].where(running)
    out = out.sort_values(
        ["institution", group, "start", "_reach"],
        ascending=[True, True, True, False],
        kind="stable",
    )
    named = {"group": group, "holder": holder}
    out = out[[named.get(name, name) for name in SPAN_COLUMNS]].reset_index(drop=True)
    out["end"] = out["end"].astype("datetime64[ns]")
    out["planned_end"] = out["planned_end"].astype("datetime64[ns]")
    return out


def without_nested(spans: pd.DataFrame, *, group: str) -> pd.DataFrame:
    """`spans` without a span wholly inside an earlier one of the same group.

    A span that is running as of D (a planned end, or none) can contain the spans that start
    after it only when an end is recorded: one with no end at all is ended, by the implied-end
    rule, by the next one that starts.
    """
    if spans.empty:
        return spans
    reach = spans["end"].fillna(_OPEN)
    container = reach.where(~spans["no_recorded_end"], pd.Timestamp("1800-01-01"))
    keys = [spans["institution"], spans[group]]
    furthest = container.groupby(keys, sort=False).cummax()
    earlier = furthest.groupby(keys, sort=False).shift(1)
    nested = earlier.notna() & (reach <= earlier)
    return spans[~nested.to_numpy()].reset_index(drop=True)
