"""Turnover events: a change of holder in a key role, or a partner withdrawal (product.md).

Holders, roles and partners are compared as a person reads them (`tracker.identity`: case,
spacing, `_`/`-`, Unicode forms and invisible characters aside), so a name typed two ways is one
holder, not a turnover. Turnovers are derived from the spans of `spans`, normalised once and cut
at the as-of date D
(an end recorded after D is planned, not a turnover; rows that touch or overlap are one span):

- **Leadership** (key roles only). Each substantive span (not `interim`) that ended on or before
  D is a turnover dated at its end, whoever follows: a change of holder when a different holder
  follows (a handover overlap, where the successor started before the recorded end, is this one
  turnover), a vacancy when nobody has followed yet, a departure when the same holder returns
  after a vacancy (the return is not a turnover and does not undo the departure). A span with
  no end recorded at all is ended by the next tenure that starts in the role, interim or
  substantive (an "implied end"). The first tenure in a role is not a turnover; interim holders
  are part of the transition and are named as covering it; a tenure wholly inside another is
  not a change of holder. In a *shared* role (any of its rows marked `shared`) co-holders are
  followed one by one: each co-holder's departure is a turnover, and no end is implied.
- **Partner withdrawal**: the end (on or before D) of a merged engagement.
- **Parent institutions** (`Parameters.parent_turnovers`, off by default): a leadership
  turnover of an institution's parent (a trust's chief executive) also counts for each member,
  its role named "ROLE of parent KEY".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.analysis.frames import iso_dates, none_for_missing
from tracker.analysis.spans import cut_at_as_of, merged_spans, without_nested
from tracker.dataset import Dataset
from tracker.identity import one_spelling

TURNOVER_COLUMNS = (
    "institution",
    "kind",  # vocab.TURNOVER_KINDS
    "role",  # leadership only
    "partner",  # partner_withdrawal only
    "date",
    "outgoing",  # the holder who left, or the partner that withdrew
    "incoming",  # the next substantive holder; None when nobody has followed yet
    "implied_end",  # True when dated at the next tenure's start (no end recorded)
    "label",  # e.g. "the chief_executive turnover on 2018-03-31"
    "reason",
    "covered_by",  # the interim holder(s) covering the transition, in words; None if none
)

# The identity of a turnover within an institution, used to join tests to turnovers.
TURNOVER_KEY = ("institution", "kind", "role", "partner", "date")


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].astype("boolean").fillna(False).astype(bool)


def _first_start_after(spans: pd.DataFrame, others: pd.DataFrame) -> pd.Series:
    """Per span, the first start among `others` (same institution and role) after its start."""
    if spans.empty or others.empty:
        return pd.Series(pd.NaT, index=spans.index, dtype="datetime64[ns]")
    left = spans[["institution", "role", "start"]].reset_index(names="_row")
    left = left.sort_values("start", kind="stable")
    right = others[["institution", "role", "start"]].rename(columns={"start": "_next"})
    found = pd.merge_asof(
        left,
        right.sort_values("_next", kind="stable"),
        left_on="start",
        right_on="_next",
        by=["institution", "role"],
        direction="forward",
        allow_exact_matches=False,
    )
    return found.set_index("_row").sort_index()["_next"].astype("datetime64[ns]")


def _covered_by(events: pd.DataFrame, interims: pd.DataFrame) -> pd.Series:
    """Per event, the interim holders who started after the outgoing holder did and before the
    next substantive holder (or at any time so far, when none has followed)."""
    out = pd.Series(None, index=events.index, dtype=object)
    if events.empty or interims.empty:
        return out
    left = events[["institution", "role", "start", "next_start"]].reset_index(names="_row")
    pairs = left.merge(
        interims[["institution", "role", "holder", "start", "end"]].rename(
            columns={"start": "i_start", "end": "i_end", "holder": "i_holder"}
        ),
        on=["institution", "role"],
    )
    pairs = pairs[
        (pairs["i_start"] > pairs["start"])
        & (pairs["next_start"].isna() | (pairs["i_start"] < pairs["next_start"]))
    ]
    if pairs.empty:
        return out
    # A planned end is not shown here: the turnover as of D must not depend on dates after D.
    until = np.where(
        pairs["i_end"].notna(),
        " to " + iso_dates(pairs["i_end"]).fillna(""),
        ", in post on the as-of date",
    )
    pairs = pairs.assign(
        words=pairs["i_holder"].astype(str)
        + " (interim, from "
        + iso_dates(pairs["i_start"]).fillna("")
        + until
        + ")"
    ).sort_values(["_row", "i_start"], kind="stable")
    joined = pairs.groupby("_row")["words"].agg(" then ".join)
    out.loc[joined.index] = joined.to_numpy()
    return out


def _leadership_reasons(events: pd.DataFrame) -> np.ndarray:
    date = iso_dates(events["date"])
    role = events["role"].astype(str)
    outgoing = events["holder"].astype(str)
    incoming = events["incoming"]
    next_start = iso_dates(events["next_start"]).fillna("")
    covered = events["covered_by"]
    cover_text = np.where(covered.notna(), "; covered by " + covered.fillna("").astype(str), "")
    handed_over = role + " changed from " + outgoing + " to " + incoming.fillna("").astype(str)
    overlap = np.where(
        events["next_start"] < events["date"],
        " (a handover overlap: "
        + incoming.fillna("").astype(str)
        + " started on "
        + next_start
        + ", before that end, and the handover is one turnover)",
        "",
    )
    returned = events["next_holder"].notna() & (events["next_holder"] == events["holder"])
    left = outgoing + "'s tenure as " + role + " ended on " + date
    return np.select(
        [
            events["shared_role"],
            events["implied_end"] & incoming.isna(),
            events["implied_end"],
            incoming.notna(),
            returned,
            covered.notna(),
        ],
        [
            left + " (a shared role: each co-holder is followed separately)",
            outgoing
            + "'s tenure as "
            + role
            + " has no recorded end; the next tenure in the role started on "
            + date
            + ", so the turnover is dated then (implied end); no substantive successor is "
            "recorded yet" + cover_text,
            handed_over
            + "; "
            + outgoing
            + "'s tenure has no recorded end, so the turnover is dated at the next tenure's"
            " start on " + date + " (implied end)" + cover_text,
            handed_over
            + "; dated at the end of "
            + outgoing
            + "'s tenure on "
            + date
            + overlap
            + cover_text,
            left
            + cover_text
            + "; "
            + outgoing
            + " returned on "
            + next_start
            + ", which does not undo the departure (a return is not a turnover)",
            left + "; no substantive successor is recorded yet" + cover_text,
        ],
        left + " with no successor recorded: the role is vacant",
    )


def _leadership_turnovers(
    leadership: pd.DataFrame, as_of: pd.Series, gap_days: int
) -> pd.DataFrame:
    # A role is key unless marked otherwise (an empty flag keeps the default).
    key = leadership[leadership["key_role"].fillna(True).astype(bool)]
    interim = _flag(key, "interim")
    shared = (
        _flag(key, "shared").groupby([key["institution"], key["role"]]).transform("any")
        if len(key)
        else pd.Series(False, index=key.index)
    )
    sole = merged_spans(
        key[~interim & ~shared], as_of, group="role", holder="holder", gap_days=gap_days
    )
    sole = without_nested(sole, group="role")
    by_role = sole.groupby(["institution", "role"], sort=False)
    sole = sole.assign(
        next_holder=by_role["holder"].shift(-1),
        next_start=by_role["start"].shift(-1).astype("datetime64[ns]"),
        shared_role=False,
    )
    interims = cut_at_as_of(key[interim & ~shared], as_of)
    first_interim = _first_start_after(sole, interims)
    following = sole["next_start"].where(
        sole["next_start"].notna() & (first_interim.isna() | (sole["next_start"] <= first_interim)),
        first_interim,
    )
    implied = sole["no_recorded_end"] & following.notna()
    sole = sole.assign(implied_end=implied, date=sole["end"].where(~implied, following))
    sole = sole[sole["date"].notna()]
    different = sole["next_holder"].notna() & (sole["next_holder"] != sole["holder"])
    sole = sole.assign(incoming=sole["next_holder"].where(different))

    co_held = merged_spans(key[shared], as_of, group="role", holder="holder", gap_days=gap_days)
    co_held = co_held[co_held["end"].notna()].assign(
        next_holder=None,
        next_start=pd.Series(pd.NaT, index=co_held.index, dtype="datetime64[ns]"),
        shared_role=True,
        implied_end=False,
        incoming=None,
    )
    co_held["date"] = co_held["end"]
    events = pd.concat([part for part in (sole, co_held) if len(part)] or [sole])
    events = events.reset_index(drop=True)
    events["next_start"] = events["next_start"].astype("datetime64[ns]")
    events["date"] = events["date"].astype("datetime64[ns]")
    events["implied_end"] = events["implied_end"].astype(bool)
    events["shared_role"] = events["shared_role"].astype(bool)
    events["covered_by"] = _covered_by(events, interims)
    events.loc[events["shared_role"], "covered_by"] = None
    date = iso_dates(events["date"])
    role = events["role"].astype(str)
    return pd.DataFrame(
        {
            "institution": events["institution"],
            "kind": "leadership",
            "role": events["role"],
            "partner": None,
            "date": events["date"],
            "outgoing": events["holder"],
            "incoming": none_for_missing(events["incoming"]),
            "implied_end": events["implied_end"],
            "label": "the " + role + " turnover on " + date,
            # Text even when empty: an empty list would make a float column, and the parent's
            # "a turnover of the parent institution: " + reason would fail on it.
            "reason": _leadership_reasons(events) if len(events) else np.array([], dtype=object),
            "covered_by": none_for_missing(events["covered_by"]),
        }
    )


def _partner_withdrawals(partners: pd.DataFrame, as_of: pd.Series, gap_days: int) -> pd.DataFrame:
    engagements = merged_spans(
        partners.assign(_party=partners["partner"]),
        as_of,
        group="partner",
        holder="_party",
        gap_days=gap_days,
    )
    ended = engagements[engagements["end"].notna()]
    date = iso_dates(ended["end"])
    partner = ended["partner"].astype(str)
    since = iso_dates(ended["start"]).fillna("")
    merged = np.where(
        ended["n_rows"] > 1,
        " ("
        + ended["n_rows"].astype(str)
        + " rows that touch or overlap, from "
        + since
        + ", read as one engagement: a renewal is not a withdrawal)",
        "",
    )
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
            "reason": "the engagement with partner " + partner + " ended on " + date + merged,
            "covered_by": None,
        }
    )


def _parent_turnovers(
    institutions: pd.DataFrame, leadership: pd.DataFrame, as_of: pd.Series, gap_days: int
) -> pd.DataFrame:
    """Each member's view of its parent's leadership turnovers, cut at the member's as-of date."""
    members = institutions.dropna(subset=["parent"])[["key", "parent"]]
    members = members[members["key"].isin(as_of.index)]
    if members.empty:
        return pd.DataFrame(columns=list(TURNOVER_COLUMNS))
    # The parent's tenures, seen from each member: as of the member's date.
    seen = leadership.merge(members, left_on="institution", right_on="parent")
    seen = seen.assign(institution=seen["key"], role=seen["role"] + " of parent " + seen["parent"])
    out = _leadership_turnovers(seen.drop(columns=["key", "parent"]), as_of, gap_days)
    out["reason"] = (
        "a turnover of the parent institution (parent_turnovers is on): " + out["reason"]
    )
    return out


def as_read(leadership: pd.DataFrame) -> pd.DataFrame:
    """Tenures with roles and holders compared as a person reads them (`tracker.identity`):
    "chief_executive" and "Chief Executive" are one role, "Jane  Smith" and "jane smith" one
    holder, each shown as the institution's earliest row spells it."""
    return one_spelling(one_spelling(leadership, "role"), "holder")


def turnovers(
    dataset: Dataset,
    as_of_by_institution: pd.Series,
    *,
    gap_days: int = 31,
    parent_turnovers: bool = False,
    parent_leadership: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every turnover event on or before each institution's as-of date.

    Columns `TURNOVER_COLUMNS`, one row per event, sorted by institution, date, kind and role or
    partner. `as_of_by_institution` is `as_of.as_of_dates(...)`; an institution missing from it
    (or with NaT) has no turnovers. `gap_days` and `parent_turnovers` are the parameters of the
    same names (`Parameters.renewal_gap_days`, `Parameters.parent_turnovers`);
    `parent_leadership` holds the parents' tenures when `dataset` was cut to some institutions
    (default: `dataset["leadership"]`).
    """
    leadership = as_read(dataset["leadership"])
    parts = [
        _leadership_turnovers(leadership, as_of_by_institution, gap_days),
        _partner_withdrawals(
            one_spelling(dataset["partners"], "partner"), as_of_by_institution, gap_days
        ),
    ]
    if parent_turnovers:
        parts.append(
            _parent_turnovers(
                dataset["institutions"],
                leadership if parent_leadership is None else as_read(parent_leadership),
                as_of_by_institution,
                gap_days,
            )
        )
    found = [part for part in parts if len(part)]
    if found:
        out = pd.concat(found, ignore_index=True)
    else:
        out = pd.DataFrame({name: pd.Series([], dtype=object) for name in TURNOVER_COLUMNS})
    out["date"] = out["date"].astype("datetime64[ns]")
    out["implied_end"] = out["implied_end"].astype(bool)
    for name in ("role", "partner", "outgoing", "incoming", "covered_by"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(
        ["institution", "date", "kind", "role", "partner"], kind="stable", na_position="first"
    )
    # Two records of the same event (e.g. overlapping engagements ending together) are one event.
    out = out.drop_duplicates(subset=list(TURNOVER_KEY))
    return out[list(TURNOVER_COLUMNS)].reset_index(drop=True)
