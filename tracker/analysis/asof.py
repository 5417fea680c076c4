"""The as-of date of each institution, and the rule that nothing after it is used.

product.md: "Analysis is evaluated as of a date: by default the latest dated record for that
institution that is not after today; `--as-of` overrides it. Nothing after the as-of date is
used." A planned date (a contract recorded to end in 2030) is not a dated record of what has
happened, so it never pushes the default into the future. `today` is injectable for tests.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tracker.analysis.params import Parameters
from tracker.dataset import Dataset
from tracker.periods import period_indexes

# Every dated column of every table that belongs to an institution. Change status records have
# no institution column: they count through their change.
_DATED_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leadership", ("start", "end")),
    ("partners", ("start", "end")),
    ("activities", ("start", "end")),
    ("changes", ("adopted",)),
    ("decisions", ("date",)),
    ("factors", ("start", "end")),
    ("evidence", ("date",)),
    ("diagnostics", ("date",)),
)
_PERIOD_TABLES = ("indicator_values", "observations")


def quarter_indexes(periods: pd.Series) -> pd.Series:
    """`periods.period_indexes`, computed once per distinct quarter (fast on millions of rows)."""
    codes, uniques = pd.factorize(periods)
    if len(uniques) == 0:
        return pd.Series(0, index=periods.index, dtype="int64")
    indexes = period_indexes(pd.Series(uniques)).to_numpy(dtype="int64")
    return pd.Series(indexes[codes], index=periods.index, dtype="int64")


def quarter_end_dates(indexes: pd.Series) -> pd.Series:
    """The last day of each quarter, given quarter indexes (`periods.period_index`)."""
    # Computed once per distinct quarter, then spread: there are few quarters and many rows.
    codes, uniques = pd.factorize(indexes)
    distinct = pd.Series(uniques, dtype="int64")
    starts = pd.to_datetime(
        pd.DataFrame({"year": distinct // 4, "month": (distinct % 4) * 3 + 1, "day": 1})
    )
    # The last day of a quarter is the day before the next quarter starts.
    ends = (starts + pd.DateOffset(months=3) - pd.Timedelta(days=1)).astype("datetime64[ns]")
    return pd.Series(ends.to_numpy()[codes], index=indexes.index, dtype="datetime64[ns]")


def period_end_dates(periods: pd.Series) -> pd.Series:
    """The last day of each `YYYYQn` quarter: an indicator value or observation counts then."""
    return quarter_end_dates(quarter_indexes(periods))


def institution_keys(dataset: Dataset) -> list[str]:
    """Every institution named in the data set, sorted (the institutions table and references)."""
    keys = set(dataset["institutions"]["key"].dropna())
    for name in dataset:
        frame = dataset[name]
        if name != "institutions" and "institution" in frame:
            keys.update(frame["institution"].dropna().unique())
    return sorted(keys)


def _dated_records(dataset: Dataset) -> pd.DataFrame:
    parts: list[pd.DataFrame] = []
    for table, columns in _DATED_COLUMNS:
        frame = dataset[table]
        for column in columns:
            parts.append(pd.DataFrame({"institution": frame["institution"], "date": frame[column]}))
    status = dataset["change_status"].merge(
        dataset["changes"][["key", "institution"]], left_on="change", right_on="key"
    )
    parts.append(pd.DataFrame({"institution": status["institution"], "date": status["date"]}))
    for table in _PERIOD_TABLES:
        frame = dataset[table]
        parts.append(
            pd.DataFrame(
                {"institution": frame["institution"], "date": period_end_dates(frame["period"])}
            )
        )
    records = pd.concat(parts, ignore_index=True)
    return records.dropna(subset=["institution", "date"])


def as_of_dates(dataset: Dataset, params: Parameters, *, today: dt.date | None = None) -> pd.Series:
    """Each institution's as-of date (index: institution key, values: `datetime64[ns]`).

    `params.as_of` when given; otherwise the latest date not after `today` (default: the
    system date) in any date column of any row of the institution (an indicator value or
    observation counts as the last day of its quarter; status records count through their
    change). An institution with no such record gets NaT.
    """
    keys = institution_keys(dataset)
    index = pd.Index(keys, name="institution", dtype=object)
    if params.as_of is not None:
        return pd.Series(pd.Timestamp(params.as_of), index=index, name="as_of").astype(
            "datetime64[ns]"
        )
    records = _dated_records(dataset)
    limit = pd.Timestamp(today or dt.date.today())
    records = records[records["date"] <= limit]
    latest = records.groupby("institution")["date"].max()
    return latest.reindex(index).astype("datetime64[ns]").rename("as_of")


def next_record_dates(dataset: Dataset, *, today: dt.date) -> pd.Series:
    """Each institution's earliest dated record after `today` (index: institution key; NaT
    when none): the day its default as-of date, and so its analysis, next changes by itself
    (a planned end date coming to pass). The results store keeps a result until then."""
    records = _dated_records(dataset)
    later = records[records["date"] > pd.Timestamp(today)]
    return later.groupby("institution")["date"].min().astype("datetime64[ns]")


def with_as_of(frame: pd.DataFrame, as_of: pd.Series, *, on: str = "institution") -> pd.DataFrame:
    """`frame` with an `as_of` column: the as-of date of the institution named in `on`."""
    out = frame.copy()
    out["as_of"] = out[on].map(as_of).astype("datetime64[ns]")
    return out


def on_or_before_as_of(
    frame: pd.DataFrame, column: str, as_of: pd.Series, *, on: str = "institution"
) -> pd.DataFrame:
    """The rows whose `column` date is on or before their institution's as-of date.

    Rows with an empty date, or of an institution without an as-of date, are dropped. The
    result carries the `as_of` column.
    """
    out = with_as_of(frame, as_of, on=on)
    return out[out[column] <= out["as_of"]]


def end_unknown_after_as_of(frame: pd.DataFrame, column: str = "end") -> pd.DataFrame:
    """Blank an end date that lies after the as-of date: as of then, the span was still open.

    `frame` must carry the `as_of` column (see `with_as_of`).
    """
    out = frame.copy()
    out[column] = out[column].where(out[column] <= out["as_of"])
    return out
