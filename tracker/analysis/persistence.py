"""Persistence of structural changes through turnovers (product.md, "Analysis rules").

A turnover at date T tests change C when C was adopted strictly before T and was not reversed
or superseded on or before T (its status on T, the latest record dated on or before T, is
neither). The window ends at T + W calendar months (`pd.DateOffset`, so 2018-03-31 + 12 months
is 2019-03-31 and 2020-02-29 + 12 months is 2021-02-28). Verdicts:

- `reversed`: a `reversed` or `superseded` record dated in (T, T+W];
- `persisted`: not reversed in the window, and the first status record dated on or after T+W
  (and on or before the as-of date) is `in_force` or `weakened` (then flagged `weakened`);
  persistence must be confirmed, not assumed;
- `too_early`: not reversed so far, and the as-of date is before T+W;
- `unconfirmed`: the window has passed, nothing reversed it in the window, and no status record
  on or after T+W confirms it (none at all, or the first one after the window ends the change).

Records dated after the as-of date are never used. When two records of one change share a date,
the one that ends the change (reversed, superseded) is taken as the later of the two: the
conservative reading of contradictory records.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.analysis.asof import on_or_before_as_of
from tracker.analysis.frames import iso_dates, none_for_missing
from tracker.analysis.turnovers import TURNOVER_KEY
from tracker.vocab import ENDING_STATUSES

CHANGE_TEST_COLUMNS = (
    "institution",
    "change",
    "change_kind",
    "turnover_kind",
    "role",
    "partner",
    "turnover_date",
    "turnover_label",
    "window_end",
    "verdict",  # vocab.CHANGE_VERDICTS
    "weakened",
    "decided_by_date",  # the status record that decided the verdict, if any
    "decided_by_status",
    "reason",
)

CHANGE_SUMMARY_COLUMNS = (
    "institution",
    "change",
    "title",
    "kind",
    "adopted",
    "chain_link",
    "culture_level",
    "status",  # as of the as-of date; adoption counts as in_force
    "status_date",
    "summary",  # vocab.CHANGE_SUMMARIES
    "summary_reason",
    "n_tests",
)

UNTESTED_SENTENCE = "Untested persistence is not persistence."

# Summary precedence. `unconfirmed` comes before `too_early`: it is something the evaluator can
# act on now (confirm the status), whereas `too_early` only asks to wait.
SUMMARY_ORDER = ("reversed_after_turnover", "persisted", "unconfirmed", "too_early", "untested")
_SUMMARY_OF_VERDICT = {
    "reversed": "reversed_after_turnover",
    "persisted": "persisted",
    "unconfirmed": "unconfirmed",
    "too_early": "too_early",
}


def visible_changes(changes: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Changes adopted on or before their institution's as-of date (with an `as_of` column)."""
    return on_or_before_as_of(changes, "adopted", as_of)


def visible_statuses(
    statuses: pd.DataFrame, changes: pd.DataFrame, as_of: pd.Series
) -> pd.DataFrame:
    """Status records of visible changes dated on or before the as-of date, in time order.

    Adds `institution`, `as_of` and `ends` (the record reverses or supersedes the change).
    """
    owned = statuses.merge(
        changes[["key", "institution"]].rename(columns={"key": "change"}), on="change"
    )
    out = on_or_before_as_of(owned, "date", as_of)
    out = out.assign(ends=out["status"].isin(ENDING_STATUSES))
    return out.sort_values(["change", "date", "ends"], kind="stable").reset_index(drop=True)


def _status_on(pairs: pd.DataFrame, statuses: pd.DataFrame, date_column: str) -> pd.DataFrame:
    """For each row of `pairs` (with `change`), the latest status record on or before a date."""
    ordered = pairs.reset_index(names="_row").sort_values(date_column, kind="stable")
    # merge_asof needs the right side sorted by date; among records of one change on one date
    # it takes the last, so ending records (sorted after the others) win a tie.
    records = statuses.sort_values(["date", "ends"], kind="stable")
    found = pd.merge_asof(
        ordered,
        records[["change", "date", "status"]].rename(columns={"date": "_status_date"}),
        left_on=date_column,
        right_on="_status_date",
        by="change",
        direction="backward",
    )
    return found.set_index("_row").sort_index()[["_status_date", "status"]]


def current_status(changes: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """`changes` (with `as_of`) plus `status` and `status_date` as of the as-of date.

    The latest status record on or before the as-of date; without one, `in_force` from the
    adoption date.
    """
    out = changes.reset_index(drop=True)
    found = _status_on(out[["change", "as_of"]], statuses, "as_of")
    out["status"] = found["status"].fillna("in_force").to_numpy()
    out["status_date"] = found["_status_date"].fillna(out["adopted"]).to_numpy()
    return out


def _pairs(changes: pd.DataFrame, turnovers: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """Every (change, turnover) of one institution where the turnover tests the change."""
    left = changes[["institution", "change", "kind", "adopted", "as_of"]].rename(
        columns={"kind": "change_kind"}
    )
    right = turnovers[[*TURNOVER_KEY, "label"]].rename(
        columns={"kind": "turnover_kind", "date": "turnover_date", "label": "turnover_label"}
    )
    pairs = left.merge(right, on="institution")
    pairs = pairs[
        (pairs["adopted"] < pairs["turnover_date"]) & (pairs["turnover_date"] <= pairs["as_of"])
    ].reset_index(drop=True)
    on_turnover = _status_on(pairs[["change", "turnover_date"]], statuses, "turnover_date")
    ended = on_turnover["status"].isin(ENDING_STATUSES).to_numpy()
    return pairs[~ended].reset_index(drop=True)


def _first_reversal(pairs: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """Per pair, the first reversed/superseded record in (T, T+W] (all records are ≤ as-of)."""
    ending = statuses.loc[statuses["ends"], ["change", "date", "status"]]
    joined = pairs[["change", "turnover_date", "window_end"]].reset_index(names="_row")
    joined = joined.merge(ending, on="change")
    inside = joined[
        (joined["date"] > joined["turnover_date"]) & (joined["date"] <= joined["window_end"])
    ]
    first = inside.sort_values(["_row", "date"], kind="stable").drop_duplicates("_row")
    return first.set_index("_row")[["date", "status"]].reindex(pairs.index)


def _first_after_window(pairs: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """Per pair, the first status record dated on or after T+W (ties: the ending one first)."""
    ordered = pairs[["change", "window_end"]].reset_index(names="_row")
    ordered = ordered.sort_values("window_end", kind="stable")
    # merge_asof "forward" takes the last of equal keys; sorting ending records before others
    # on a shared date would be lost, so resolve ties explicitly on a de-duplicated table.
    records = statuses.sort_values(["change", "date", "ends"], ascending=[True, True, False])
    records = records.drop_duplicates(["change", "date"])[["change", "date", "status"]]
    found = pd.merge_asof(
        ordered,
        records.rename(columns={"date": "_after_date"}).sort_values("_after_date"),
        left_on="window_end",
        right_on="_after_date",
        by="change",
        direction="forward",
    )
    found = found.set_index("_row").sort_index()
    return found.rename(columns={"_after_date": "date"})[["date", "status"]]


def persistence_tests(
    *,
    changes: pd.DataFrame,
    statuses: pd.DataFrame,
    turnovers: pd.DataFrame,
    as_of: pd.Series,
    window_months: int,
) -> pd.DataFrame:
    """Every change tested by every turnover of its institution, with its verdict and reason.

    `changes` and `statuses` are the workbook tables (`changes`, `change_status`); `turnovers`
    is `turnovers.turnovers(...)`; `as_of` is `as_of.as_of_dates(...)`. Returns one row per
    (change, testing turnover), columns `CHANGE_TEST_COLUMNS`, in institution, change and
    turnover-date order. See the module docstring for the exact rules.
    """
    visible = visible_changes(changes, as_of).rename(columns={"key": "change"})
    records = visible_statuses(statuses, visible.rename(columns={"change": "key"}), as_of)
    pairs = _pairs(visible, turnovers, records)
    pairs["window_end"] = (pairs["turnover_date"] + pd.DateOffset(months=window_months)).astype(
        "datetime64[ns]"
    )
    reversal = _first_reversal(pairs, records)
    after = _first_after_window(pairs, records)
    latest = _status_on(pairs[["change", "as_of"]], records, "as_of")

    reversed_ = reversal["date"].notna().to_numpy()
    window_over = (pairs["as_of"] >= pairs["window_end"]).to_numpy()
    confirms = after["status"].isin(("in_force", "weakened")).to_numpy()
    verdict = np.select(
        [reversed_, ~window_over, confirms], ["reversed", "too_early", "persisted"], "unconfirmed"
    )
    persisted = verdict == "persisted"
    decided_date = reversal["date"].where(reversed_, after["date"].where(persisted))
    decided_status = reversal["status"].where(reversed_, after["status"].where(persisted))

    out = pairs.assign(
        verdict=verdict,
        weakened=persisted & (after["status"] == "weakened").to_numpy(),
        decided_by_date=decided_date.astype("datetime64[ns]"),
        decided_by_status=decided_status,
    )
    out["reason"] = _test_reasons(out, window_months, after, latest, pairs["adopted"])
    for name in ("role", "partner", "decided_by_status"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(["institution", "change", "turnover_date"], kind="stable")
    return out[list(CHANGE_TEST_COLUMNS)].reset_index(drop=True)


def _test_reason(
    window_months: int,
    verdict: str,
    label: str,
    window_end: str,
    as_of: str,
    decided_status: str,
    decided_date: str,
    weakened: bool,
    last_status: str | None,
    last_date: str,
    adopted: str,
    after_status: str | None,
    after_date: str,
) -> str:
    """The plain-words reason of one test, naming the record that decided it."""
    window = f"the {window_months}-month window after {label}"
    if verdict == "reversed":
        return (
            f"Status '{decided_status}' recorded on {decided_date}, within {window} (window "
            f"ended {window_end}): reversed."
        )
    if verdict == "persisted":
        return (
            f"Status '{decided_status}' recorded on {decided_date}, on or after the end of "
            f"{window} ({window_end}), with no reversal within the window: persistence is "
            "confirmed" + (", though the change was recorded as weakened." if weakened else ".")
        )
    # The record the evaluator last made, or the adoption when there is none.
    last = (
        f"the latest status record is '{last_status}' on {last_date}"
        if last_status
        else f"no status record since adoption on {adopted}"
    )
    if verdict == "too_early":
        return (
            f"No reversal recorded since {label}; the {window_months}-month window ends on "
            f"{window_end}, after the as-of date {as_of} ({last}): too early to tell."
        )
    if after_status in ENDING_STATUSES:
        # Reversed after the window (and perhaps re-adopted later): what held at the window's
        # end is not shown by any record.
        return (
            f"{window[0].upper()}{window[1:]} ended on {window_end} with no reversal recorded "
            f"within it, but the first status record on or after that date is "
            f"'{after_status}' on {after_date}, so no record shows the change in force at the "
            f"window's end: unconfirmed. What is missing is a status record confirming it, "
            f"dated on or after {window_end} and before {after_date}."
        )
    later = (
        f"; the first status record on or after that date is '{after_status}' on {after_date}"
        if after_status
        else ""
    )
    return (
        f"{window[0].upper()}{window[1:]} ended on {window_end} with no reversal recorded, but no "
        f"status record on or after that date confirms the change ({last}{later}): unconfirmed;"
        " the evaluator is asked to confirm."
    )


def _test_reasons(
    tests: pd.DataFrame,
    window_months: int,
    after: pd.DataFrame,
    latest: pd.DataFrame,
    adopted: pd.Series,
) -> list[str]:
    # Verdicts are computed column-wise; only the sentence is formatted per test (pandas has
    # no fast path for formatting text, and this reads as the sentence it writes).
    def text(values: pd.Series) -> list[str | None]:
        return list(none_for_missing(values).tolist())

    columns = zip(
        tests["verdict"].tolist(),
        tests["turnover_label"].tolist(),
        iso_dates(tests["window_end"]).tolist(),
        iso_dates(tests["as_of"]).tolist(),
        text(tests["decided_by_status"]),
        iso_dates(tests["decided_by_date"]).tolist(),
        tests["weakened"].tolist(),
        text(latest["status"]),
        iso_dates(latest["_status_date"]).tolist(),
        iso_dates(adopted).tolist(),
        text(after["status"]),
        iso_dates(after["date"]).tolist(),
        strict=True,
    )
    return [_test_reason(window_months, *row) for row in columns]


def change_summaries(
    *,
    changes: pd.DataFrame,
    statuses: pd.DataFrame,
    tests: pd.DataFrame,
    as_of: pd.Series,
) -> pd.DataFrame:
    """One row per change adopted on or before the as-of date: its status and summary.

    `summary` is `reversed_after_turnover` if any test says reversed; else `persisted` if any
    persisted; else `unconfirmed`, else `too_early` (see `SUMMARY_ORDER`); `untested` when no
    turnover tested it, with the plain sentence "Untested persistence is not persistence."
    Columns `CHANGE_SUMMARY_COLUMNS`, in institution and adoption order.
    """
    visible = visible_changes(changes, as_of).rename(columns={"key": "change"})
    records = visible_statuses(statuses, visible.rename(columns={"change": "key"}), as_of)
    out = current_status(visible, records)

    ranked = tests.assign(
        summary=tests["verdict"].map(_SUMMARY_OF_VERDICT),
        rank=tests["verdict"].map(_SUMMARY_OF_VERDICT).map(SUMMARY_ORDER.index),
    )
    # The deciding test: the best-ranked verdict, and the earliest turnover among equals.
    deciding = ranked.sort_values(["change", "rank", "turnover_date"], kind="stable")
    deciding = deciding.drop_duplicates("change").set_index("change")
    counts = tests.groupby("change").size()

    out["summary"] = out["change"].map(deciding["summary"]).fillna("untested")
    out["n_tests"] = out["change"].map(counts).fillna(0).astype(int)
    detail = out["change"].map(deciding["reason"]).astype(str)
    summary = out["summary"]
    out["summary_reason"] = np.select(
        [
            summary == "reversed_after_turnover",
            summary == "persisted",
            summary == "unconfirmed",
            summary == "too_early",
        ],
        [
            "Reversed after a turnover. " + detail,
            "Persisted through a turnover. " + detail,
            "Not yet confirmed after a turnover. " + detail,
            "Too early to tell after a turnover. " + detail,
        ],
        "No turnover has tested this change as of "
        + iso_dates(out["as_of"])
        + ". "
        + UNTESTED_SENTENCE,
    )
    for name in ("chain_link", "culture_level"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(["institution", "adopted", "change"], kind="stable")
    return out[list(CHANGE_SUMMARY_COLUMNS)].reset_index(drop=True)
