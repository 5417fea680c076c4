"""Institutions at risk: a key leader leaving with no succession plan (product.md, "Portfolio").

An institution is *at risk* as of its as-of date when one of its key roles is
- **vacant**: nobody is in post in the role at as-of: every tenure started on or before as-of
  has ended on or before it (a holder whose recorded end is after as-of, or a co-holder, is in
  post); or
- **changing**: the role is held only by an interim holder; or a substantive tenure in the role
  that started on or before as-of is due to end after as-of (a planned end: "due to end on");
  or a tenure ended within the last two quarters (on or before as-of and less than six months
  before it: a new leader is still settling in);
and the latest commissioning diagnostics dated on or before as-of do not record a succession
plan (`succession_plan` false or empty, or no diagnostics at all).

This is the one place where a date after the as-of date is read: a recorded end date of a
tenure that is under way is what the institution knows, as of then, about a departure to come.
Everything is vectorised over the leadership and diagnostics frames (no loop per institution).
"""

from __future__ import annotations

import pandas as pd

from tracker.analysis.frames import iso_dates

RISK_COLUMNS = ("institution", "roles", "reasons", "succession_plan", "diagnostics_date")

# "Within the last two quarters" of the as-of date.
RECENT = pd.DateOffset(months=6)


def _role_situations(leadership: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """One row per key role that is vacant or changing, with the reason in words."""
    key = leadership[leadership["key_role"].fillna(True).astype(bool)]
    tenures = key.assign(as_of=key["institution"].map(as_of).astype("datetime64[ns]"))
    tenures = tenures[tenures["start"] <= tenures["as_of"]]
    interim = (
        tenures["interim"].astype("boolean").fillna(False).astype(bool)
        if "interim" in tenures
        else pd.Series(False, index=tenures.index)
    )
    tenures = tenures.assign(
        _interim=interim, _in_post=tenures["end"].isna() | (tenures["end"] > tenures["as_of"])
    )
    tenures = tenures.sort_values(["institution", "role", "start"], kind="stable")
    by_role = tenures.groupby(["institution", "role"], sort=False)
    # Vacant: nobody in post in the role at the as-of date (a co-holder or a predecessor still
    # in post until a planned end means it is not).
    latest = by_role.agg(
        end=("end", "max"), in_post=("_in_post", "any"), as_of=("as_of", "first")
    ).reset_index()
    vacant = latest[~latest["in_post"]]
    vacant_reason = (
        "the key role "
        + vacant["role"].astype(str)
        + " has been vacant since "
        + iso_dates(vacant["end"])
        + " (no successor recorded)"
    )
    # Covered by an interim holder only: the role is changing.
    substantive_in_post = (
        (tenures["_in_post"] & ~tenures["_interim"])
        .groupby([tenures["institution"], tenures["role"]])
        .transform("any")
    )
    acting = tenures[tenures["_in_post"] & tenures["_interim"] & ~substantive_in_post]
    acting_reason = (
        "the key role "
        + acting["role"].astype(str)
        + " is held by an interim holder, "
        + acting["holder"].astype(str)
        + ", since "
        + iso_dates(acting["start"])
    )

    announced = tenures[(tenures["end"] > tenures["as_of"]) & ~tenures["_interim"]]
    announced_reason = (
        "the key role "
        + announced["role"].astype(str)
        + " is changing: "
        + announced["holder"].astype(str)
        + "'s tenure is due to end on "
        + iso_dates(announced["end"])
    )

    # A recent end that is not a vacancy: the role changed hands less than two quarters ago.
    recent = tenures[
        (tenures["end"] <= tenures["as_of"]) & (tenures["end"] > tenures["as_of"] - RECENT)
    ]
    recent = recent.merge(
        vacant[["institution", "role"]], on=["institution", "role"], how="left", indicator=True
    )
    recent = recent[recent["_merge"] == "left_only"]
    recent_reason = (
        "the key role "
        + recent["role"].astype(str)
        + " changed hands recently: "
        + recent["holder"].astype(str)
        + "'s tenure ended on "
        + iso_dates(recent["end"])
    )

    parts = [
        pd.DataFrame({"institution": frame["institution"], "role": frame["role"], "reason": text})
        for frame, text in (
            (vacant, vacant_reason),
            (acting, acting_reason),
            (announced, announced_reason),
            (recent, recent_reason),
        )
    ]
    return pd.concat(parts, ignore_index=True)


def _latest_diagnostics(diagnostics: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    dated = diagnostics.assign(as_of=diagnostics["institution"].map(as_of).astype("datetime64[ns]"))
    dated = dated[dated["date"] <= dated["as_of"]].sort_values(["institution", "date"])
    latest = dated.groupby("institution").tail(1)
    return latest[["institution", "date", "succession_plan"]].rename(
        columns={"date": "diagnostics_date"}
    )


def institutions_at_risk(
    leadership: pd.DataFrame, diagnostics: pd.DataFrame, as_of: pd.Series
) -> pd.DataFrame:
    """The institutions at risk (module docstring), one row each, sorted by institution.

    `as_of` maps institution key to its as-of date; institutions not in it are left out.
    Columns `RISK_COLUMNS`: `roles` and `reasons` are tuples of strings (one reason per vacant
    or changing role, then the missing succession plan); `succession_plan` is False or None
    (no answer recorded); `diagnostics_date` the date of the diagnostics read, or NaT.
    """
    situations = _role_situations(leadership, as_of)
    if situations.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in RISK_COLUMNS})
    latest = _latest_diagnostics(diagnostics, as_of)
    situations = situations.merge(latest, on="institution", how="left")
    has_plan = situations["succession_plan"].astype("boolean").fillna(False).astype(bool)
    situations = situations[~has_plan]
    if situations.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in RISK_COLUMNS})
    situations = situations.sort_values(["institution", "role"], kind="stable")
    # One pass over the (few) at-risk rows gathers each institution's roles and reasons; a
    # pandas group-by of Python tuples costs far more per group at national scale.
    roles: dict[str, list[str]] = {}
    reasons: dict[str, list[str]] = {}
    for institution, role, reason in zip(
        situations["institution"], situations["role"], situations["reason"], strict=True
    ):
        named = roles.setdefault(institution, [])
        if role not in named:
            named.append(role)
        reasons.setdefault(institution, []).append(reason)
    out = situations.drop_duplicates("institution")[
        ["institution", "succession_plan", "diagnostics_date"]
    ].reset_index(drop=True)
    out["roles"] = [tuple(roles[key]) for key in out["institution"]]
    out["reasons"] = [tuple(reasons[key]) for key in out["institution"]]
    plan_text = pd.Series(
        "no succession plan is recorded in the commissioning diagnostics", index=out.index
    )
    answered = out["diagnostics_date"].notna()
    plan_text[answered] = (
        "the latest commissioning diagnostics ("
        + iso_dates(out.loc[answered, "diagnostics_date"])
        + ") do not record a succession plan"
    )
    out["reasons"] = [
        (*reasons, plan) for reasons, plan in zip(out["reasons"], plan_text, strict=True)
    ]
    out["succession_plan"] = [
        None if pd.isna(value) else bool(value) for value in out["succession_plan"]
    ]
    return out[list(RISK_COLUMNS)]
