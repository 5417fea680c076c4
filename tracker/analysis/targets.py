"""Actuals against targets: met, not met, or not yet due (each with a symbol and a word).

Two kinds of target (`targets.csv`, `persistence_targets.csv`):

- an indicator target for a quarter, or for a span of quarters (`period` to `until`):
  ``per_period`` means every quarter of the span should reach the value; ``cumulative`` means
  the sum of the span's values should. "Reach" follows the indicator's direction: at least the
  value when higher is better, at most when lower is. A target whose last quarter has not ended
  by the as-of date is not yet due; once due, a quarter without a value counts as not reached.
- a persistence target: a structural change still in force through the institution's next
  turnover (the first leadership turnover or partner withdrawal after the change's adoption).
  Met when a status recorded after that turnover says the change is in force (or weakened but
  in force), with no reversal or supersession before it; not met when the change was reversed
  or superseded before such a confirmation; not yet due while there is no turnover yet, or no
  status recorded since it.

The sentences describe what was recorded against what was planned; they never say what caused
it (no attribution). Pure: a `Dataset` in, a frame out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from tracker.analysis.turnovers import turnovers
from tracker.dataset import Dataset
from tracker.periods import period_end, period_from_index, period_index
from tracker.vocab import ENDING_STATUSES, TARGET_VERDICTS

VERDICT_SYMBOLS = {"met": "✔", "not_met": "✘", "not_yet_due": "◷"}
VERDICT_WORDS = {"met": "met", "not_met": "not met", "not_yet_due": "not yet due"}
assert set(VERDICT_SYMBOLS) == set(TARGET_VERDICTS)

_NO_DATES = np.array([], dtype="datetime64[ns]")

TARGET_COLUMNS = (
    "institution", "kind", "subject", "period", "until", "target", "actual", "verdict",
    "symbol", "word", "sentence", "comment",
)


def _number(value: float) -> str:
    return f"{value:g}"


def _span(period: str, until: str | None) -> list[str]:
    last = until or period
    return [period_from_index(i) for i in range(period_index(period), period_index(last) + 1)]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _reaches(actual: float, target: float, higher_is_better: bool) -> bool:
    return actual >= target if higher_is_better else actual <= target


def _row(
    institution: str, kind: str, subject: str, period: str | None, until: str | None,
    target: float | None, actual: float | None, verdict: str, sentence: str,
    comment: str | None,
) -> dict[str, object]:
    return {
        "institution": institution, "kind": kind, "subject": subject, "period": period,
        "until": until, "target": target, "actual": actual, "verdict": verdict,
        "symbol": VERDICT_SYMBOLS[verdict], "word": VERDICT_WORDS[verdict],
        "sentence": f"{VERDICT_SYMBOLS[verdict]} {VERDICT_WORDS[verdict]}: {sentence}",
        "comment": comment,
    }


def indicator_targets(dataset: Dataset, as_of: dt.date) -> list[dict[str, object]]:
    """One row per indicator target (see the module docstring)."""
    values = dataset["indicator_values"]
    lookup = {
        (i, k, p): float(v)
        for i, k, p, v in zip(values["institution"], values["indicator"], values["period"],
                              values["value"], strict=True)
    }
    indicators = dataset["indicators"].set_index("key")
    rows = []
    for target in _records(dataset["targets"]):
        until = target["until"] if isinstance(target["until"], str) else None
        period, indicator, institution = (
            str(target["period"]), str(target["indicator"]), str(target["institution"])
        )
        quarters = _span(period, until)
        higher = bool(indicators["higher_is_better"].get(indicator, True))
        name = str(indicators["name"].get(indicator, indicator))
        span = period if until is None else f"{period}–{until}"
        comparison = "at least" if higher else "at most"
        got = [lookup.get((institution, indicator, q)) for q in quarters]
        known = [g for g in got if g is not None]
        value = float(target["value"])
        kind = str(target["kind"])
        comment = target["comment"] if isinstance(target["comment"], str) else None
        args = (institution, kind, indicator, period, until, value)
        if period_end(quarters[-1]) > as_of:
            actual = sum(known) if kind == "cumulative" and known else None
            rows.append(_row(*args, actual, "not_yet_due",
                             f"{name} {span}: target {comparison} {_number(value)}, due after "
                             f"{period_end(quarters[-1]).isoformat()}", comment))
            continue
        if kind == "cumulative":
            total = sum(known)
            met = len(known) == len(quarters) and _reaches(total, value, higher)
            missing = len(quarters) - len(known)
            gap = f" ({missing} quarter(s) without a value)" if missing else ""
            rows.append(_row(*args, total, "met" if met else "not_met",
                             f"{name} {span}: {_number(total)} in total against a target of "
                             f"{comparison} {_number(value)}{gap}", comment))
            continue
        reached = [g is not None and _reaches(g, value, higher) for g in got]
        worst = (min(known) if higher else max(known)) if known else None
        shown = "no value recorded" if worst is None else (
            _number(known[0]) if len(quarters) == 1 else f"worst quarter {_number(worst)}")
        rows.append(_row(*args, worst, "met" if all(reached) else "not_met",
                         f"{name} {span}: {shown} against a target of {comparison} "
                         f"{_number(value)} per quarter ({sum(reached)} of {len(quarters)} "
                         "quarter(s) reached)", comment))
    return rows


def persistence_targets(dataset: Dataset, as_of: dt.date) -> list[dict[str, object]]:
    """One row per persistence target (see the module docstring)."""
    changes = dataset["changes"].set_index("key")
    targets = dataset["persistence_targets"]
    institutions = sorted(set(targets["institution"]))
    as_of_series = pd.Series(pd.Timestamp(as_of), index=institutions, dtype="datetime64[ns]")
    events = turnovers(dataset, as_of_series) if institutions else pd.DataFrame()
    # Each target reads its own institution's turnover dates and its own change's status
    # records: grouped once, not filtered out of every row once per target.
    event_dates = (
        {key: group.to_numpy() for key, group in events.groupby("institution")["date"]}
        if len(events) else {}
    )
    status = dataset["change_status"]
    status = status[status["change"].isin(set(targets["change"]))
                    & (status["date"] <= pd.Timestamp(as_of))].sort_values("date", kind="stable")
    by_change = {key: group for key, group in status.groupby("change", sort=False)}
    no_status = status.iloc[0:0]
    rows = []
    for target in _records(targets):
        comment = target["comment"] if isinstance(target["comment"], str) else None
        change, institution = str(target["change"]), str(target["institution"])
        title = str(changes["title"].get(change, change))
        adopted = changes["adopted"].get(change)
        args = (institution, "persistence", change, None, None, None, None)
        if adopted is None or pd.isna(adopted):
            rows.append(_row(*args, "not_yet_due", f"{title}: not recorded", comment))
            continue
        dates = event_dates.get(institution, _NO_DATES)
        mine = dates[dates > pd.Timestamp(adopted).to_datetime64()]
        records = by_change.get(change, no_status)
        if not len(mine):
            rows.append(_row(*args, "not_yet_due",
                             f"{title}: in force through the next turnover — no turnover yet",
                             comment))
            continue
        turnover = pd.Timestamp(mine.min())
        when = turnover.date().isoformat()
        verdict, sentence = "not_yet_due", f"no status recorded since the turnover of {when}"
        for record in _records(records):
            on = pd.Timestamp(record["date"])
            state = str(record["status"])
            if state in ENDING_STATUSES:
                verdict = "not_met"
                sentence = f"{state} on {on.date().isoformat()}, " + (
                    f"before the turnover of {when}" if on < turnover
                    else f"after the turnover of {when} with no status in force recorded "
                    "since it")
                break
            if on > turnover:
                verdict = "met"
                sentence = (f"{state.replace('_', ' ')} on "
                            f"{on.date().isoformat()}, after the turnover of {when}")
                break
        rows.append(_row(*args, verdict, f"{title}: {sentence}", comment))
    return rows


def target_results(dataset: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Every target of the data set against what was recorded by `as_of`: columns
    `TARGET_COLUMNS`, indicator targets first, by institution."""
    rows = indicator_targets(dataset, as_of) + persistence_targets(dataset, as_of)
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    return frame.sort_values(["institution", "kind", "subject", "period"], kind="stable",
                             na_position="last").reset_index(drop=True)


TARGET_COUNT_COLUMNS = ("institution", "met", "not_met", "not_yet_due")


def target_counts(dataset: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Per institution with targets: how many are met, not met and not yet due by `as_of`
    (columns `TARGET_COUNT_COLUMNS`, sorted by institution)."""
    results = target_results(dataset, as_of)
    verdicts = list(TARGET_COUNT_COLUMNS[1:])
    if results.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in verdicts else object)
                             for c in TARGET_COUNT_COLUMNS})
    counts = results.groupby(["institution", "verdict"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=verdicts, fill_value=0).astype("int64")
    return counts.reset_index()[list(TARGET_COUNT_COLUMNS)]


def next_due_dates(dataset: Dataset, as_of: dt.date) -> pd.Series:
    """Per institution, the earliest day after `as_of` on which an indicator target falls due
    (the last day of its last quarter): its verdict changes then by itself."""
    targets = dataset["targets"]
    if targets.empty:
        return pd.Series(dtype="datetime64[ns]")
    last = targets["until"].where(targets["until"].notna(), targets["period"]).astype(str)
    due = pd.to_datetime(pd.Series([period_end(q) for q in last], index=targets.index))
    later = due > pd.Timestamp(as_of)
    frame = pd.DataFrame({"institution": targets["institution"][later], "due": due[later]})
    return frame.groupby("institution")["due"].min().astype("datetime64[ns]")
