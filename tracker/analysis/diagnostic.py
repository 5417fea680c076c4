"""The diagnostic question, and the article's four commissioning questions.

"Have any institutional decisions been reversed specifically because of work with the
community, at a level that cost the institution something?" The answer is `yes` when at least
one decision dated on or before the as-of date is flagged `reverses_earlier`,
`because_of_community`, and with a `cost` other than `none` (or empty).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.analysis.asof import on_or_before_as_of
from tracker.analysis.frames import iso_dates, none_for_missing

DECISION_FLAG_COLUMNS = (
    "institution",
    "decision",
    "date",
    "title",
    "reverses_earlier",
    "because_of_community",
    "cost",
    "cost_note",
    "satisfies",  # all three flags: it answers the diagnostic question yes
    "missing",  # the flags it lacks, comma-separated ("" when none)
)

COMMISSIONING_QUESTIONS = (
    "leadership_commitment",
    "realistic_timescale",
    "structural_barriers_addressed",
    "succession_plan",
)

_FLAG_WORDS = {
    "reverses_earlier": "it does not reverse an earlier decision",
    "because_of_community": "it is not recorded as taken in response to work with the community",
    "cost": "no cost to the institution is recorded",
}


def decision_flags(*, decisions: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Every decision on or before its institution's as-of date, with the flags it lacks.

    Columns `DECISION_FLAG_COLUMNS`, in institution and date order.
    """
    visible = on_or_before_as_of(decisions, "date", as_of).rename(columns={"key": "decision"})
    reverses = visible["reverses_earlier"].fillna(False).astype(bool)
    community = visible["because_of_community"].fillna(False).astype(bool)
    costly = visible["cost"].notna() & (visible["cost"] != "none")
    lacking = pd.DataFrame(
        {"reverses_earlier": ~reverses, "because_of_community": ~community, "cost": ~costly}
    )
    missing = pd.Series("", index=visible.index)
    for flag in lacking.columns:
        named = missing.where(missing == "", missing + ",") + flag
        missing = named.where(lacking[flag], missing)
    out = visible.assign(
        reverses_earlier=reverses,
        because_of_community=community,
        satisfies=~lacking.any(axis=1),
        missing=missing,
    )
    for name in ("cost", "cost_note", "title"):
        out[name] = none_for_missing(out[name])
    out = out.sort_values(["institution", "date", "decision"], kind="stable")
    return out[list(DECISION_FLAG_COLUMNS)].reset_index(drop=True)


def missing_flags(missing: str) -> tuple[str, ...]:
    """The `missing` column of `decision_flags` as a tuple of flag names."""
    return tuple(name for name in missing.split(",") if name)


def missing_in_words(missing: str) -> str:
    """Why a decision does not answer the diagnostic question, in plain words."""
    return "; ".join(_FLAG_WORDS[name] for name in missing_flags(missing))


def diagnostic_answers(flags: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Per institution of `as_of`: `costly_reversal`, the satisfying `decisions`, a `sentence`.

    `flags` is `decision_flags(...)`. `decisions` holds a tuple of decision keys in date order.
    """
    satisfying = flags[flags["satisfies"]]
    keys = satisfying.groupby("institution")["decision"].agg(tuple)
    described = satisfying.assign(
        text=satisfying["decision"].astype(str) + " (" + iso_dates(satisfying["date"]) + ", cost: "
        + satisfying["cost"].astype(str) + ")"
    )
    texts = described.groupby("institution")["text"].agg(", ".join)
    out = pd.DataFrame(index=as_of.index)
    out["as_of"] = as_of
    decisions = pd.Series([keys.get(key, ()) for key in out.index], index=out.index, dtype=object)
    out["decisions"] = decisions
    out["costly_reversal"] = decisions.map(len) > 0
    yes: pd.Series = (
        "Yes: " + out.index.to_series().map(texts).fillna("").astype(str)
        + " reversed an earlier decision in response to work with the community, at a cost to"
        " the institution."
    )
    no = (
        "No: none of the decisions recorded on or before "
        + iso_dates(out["as_of"]).fillna("the as-of date")
        + " reversed an earlier decision in response to work with the community at a cost to"
        " the institution."
    )
    out["sentence"] = np.where(out["costly_reversal"], yes, no)
    return out.rename_axis("institution").reset_index()


def commissioning_as_of(*, diagnostics: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Per institution, the latest commissioning-diagnostics row dated on or before as-of."""
    visible = on_or_before_as_of(diagnostics, "date", as_of)
    latest = visible.sort_values(["institution", "date"], kind="stable")
    latest = latest.drop_duplicates("institution", keep="last")
    columns = ["institution", "date", *COMMISSIONING_QUESTIONS, "notes"]
    return latest[columns].reset_index(drop=True)
