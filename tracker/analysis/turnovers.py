"""Turnover events: a change of holder in a key role, or a partner withdrawal (product.md).

A leadership turnover is the boundary between two consecutive tenures in the same key role with
different holders, dated at the outgoing tenure's end or, where that is missing, at the next
tenure's start (an "implied end"). A tenure that ended with no successor recorded is a turnover
at its end: the leader left and the role is vacant. The first tenure in a role is not a
turnover, and re-appointing the same holder is not a change of holder. A partner withdrawal is
dated at the engagement's end. Only turnovers dated on or before the as-of date count, and
nothing recorded after it is used (a tenure ending after the as-of date was still running then).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.analysis.asof import end_unknown_after_as_of, on_or_before_as_of
from tracker.analysis.frames import iso_dates, none_for_missing
from tracker.dataset import Dataset

TURNOVER_COLUMNS = (
    "institution",
    "kind",  # vocab.TURNOVER_KINDS
    "role",  # leadership only
    "partner",  # partner_withdrawal only
    "date",
    "outgoing",  # the holder who left, or the partner that withdrew
    "incoming",  # the next holder; None when the role was left vacant
    "implied_end",  # True when dated at the next tenure's start (no end recorded)
    "label",  # e.g. "the chief_executive turnover on 2018-03-31"
    "reason",
)

# The identity of a turnover within an institution, used to join tests to turnovers.
TURNOVER_KEY = ("institution", "kind", "role", "partner", "date")


def _leadership_turnovers(leadership: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    # A role is key unless marked otherwise (an empty flag keeps the default).
    key = leadership[leadership["key_role"].fillna(True).astype(bool)]
    tenures = on_or_before_as_of(key, "start", as_of)
    tenures = end_unknown_after_as_of(tenures)
    tenures = tenures.sort_values(["institution", "role", "start"], kind="stable")
    by_role = tenures.groupby(["institution", "role"], sort=False)
    tenures = tenures.assign(
        next_holder=by_role["holder"].shift(-1), next_start=by_role["start"].shift(-1)
    )
    has_next = tenures["next_start"].notna()
    changed_holder = has_next & (tenures["next_holder"] != tenures["holder"])
    vacated = ~has_next & tenures["end"].notna()
    events = tenures[changed_holder | vacated].copy()
    events["implied_end"] = events["end"].isna()
    events["date"] = events["end"].fillna(events["next_start"])
    events = events[events["date"] <= events["as_of"]]

    date = iso_dates(events["date"])
    role = events["role"].astype(str)
    outgoing = events["holder"].astype(str)
    incoming = events["next_holder"]
    handed_over = (
        role + " changed from " + outgoing + " to " + incoming.fillna("").astype(str)
    )
    reason = np.where(
        incoming.isna(),
        outgoing
        + "'s tenure as "
        + role
        + " ended on "
        + date
        + " with no successor recorded: the role is vacant",
        np.where(
            events["implied_end"],
            handed_over
            + "; "
            + outgoing
            + "'s tenure has no recorded end, so the turnover is dated at the next tenure's"
            " start on "
            + date
            + " (implied end)",
            handed_over + "; dated at the end of " + outgoing + "'s tenure on " + date,
        ),
    )
    return pd.DataFrame(
        {
            "institution": events["institution"],
            "kind": "leadership",
            "role": events["role"],
            "partner": None,
            "date": events["date"],
            "outgoing": events["holder"],
            "incoming": none_for_missing(incoming),
            "implied_end": events["implied_end"].astype(bool),
            "label": "the " + role + " turnover on " + date,
            "reason": reason,
        }
    )


def _partner_withdrawals(partners: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    engagements = on_or_before_as_of(partners, "start", as_of)
    ended = engagements[engagements["end"] <= engagements["as_of"]]
    date = iso_dates(ended["end"])
    partner = ended["partner"].astype(str)
    return pd.DataFrame(
        {
            "institution": ended["institution"],
            "kind": "partner_withdrawal",
            "role": None,
            "partner": ended["partner"],
            "date": ended["end"],
            "outgoing": ended["partner"],
            "incoming": None,
            "implied_end": False,
            "label": "the withdrawal of partner " + partner + " on " + date,
            "reason": "the engagement with partner " + partner + " ended on " + date,
        }
    )


def turnovers(dataset: Dataset, as_of_by_institution: pd.Series) -> pd.DataFrame:
    """Every turnover event on or before each institution's as-of date.

    Columns `TURNOVER_COLUMNS`, one row per event, sorted by institution, date, kind and role or
    partner. `as_of_by_institution` is `as_of.as_of_dates(...)`; an institution missing from it
    (or with NaT) has no turnovers.
    """
    parts = [
        _leadership_turnovers(dataset["leadership"], as_of_by_institution),
        _partner_withdrawals(dataset["partners"], as_of_by_institution),
    ]
    found = [part for part in parts if len(part)]
    if found:
        out = pd.concat(found, ignore_index=True)
    else:
        out = pd.DataFrame({name: pd.Series([], dtype=object) for name in TURNOVER_COLUMNS})
    out["date"] = out["date"].astype("datetime64[ns]")
    out["implied_end"] = out["implied_end"].astype(bool)
    for name in ("role", "partner", "outgoing", "incoming"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(
        ["institution", "date", "kind", "role", "partner"], kind="stable", na_position="first"
    )
    # Two records of the same event (e.g. overlapping engagements ending together) are one event.
    out = out.drop_duplicates(subset=list(TURNOVER_KEY))
    return out[list(TURNOVER_COLUMNS)].reset_index(drop=True)
