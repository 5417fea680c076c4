"""The phase of an institution (product.md), its criteria, and a suggested implementation stage.

Criteria, as of the institution's as-of date:
- `structural_change_in_force`: a change whose kind is not `practice` is `in_force` or
  `weakened`;
- `persisted_through_turnover`: a change whose kind is not `practice`, `in_force` now (not
  weakened), with a `persisted` test and summary `persisted` (no test says reversed: it was not
  reversed after any turnover); the reason names each such change and turnover. A weakened
  change counts for `middle` only and is named as weakened;
- `practice_change`: an indicator improved beyond the tolerance (`indicators.practice_change`),
  or a change of kind `practice` is in force;
- `costly_reversal`: the diagnostic question is answered yes.

Phase, applied literally: `later` = structural change in force AND persisted through turnover
AND costly reversal; `middle` = costly reversal AND (practice change OR structural change in
force) AND NOT persisted through turnover; `early` = everything else.

Suggested implementation stage (Fixsen et al. 2005), a rule of thumb from the data shown beside
the evaluator's own judgements, never instead of them:
- `exploration`: no partner engagement, activity or change has started by the as-of date;
- `installation`: engagement, activities or changes have started, but no change is in force;
- `initial_implementation`: a change is in force, but none still in force has persisted
  through a turnover;
- `full_implementation`: a change still in force persisted through a turnover;
- `sustainability`: a change still in force persisted through two or more turnovers;
- `innovation` is never suggested: adapting a practice is a judgement the data cannot show.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from tracker.analysis.asof import on_or_before_as_of, period_end_dates
from tracker.analysis.frames import iso_dates
from tracker.vocab import STAGES

IN_FORCE = ("in_force", "weakened")

PHASE_COLUMNS = (
    "institution",
    "as_of",
    "phase",  # vocab.PHASES
    "structural_change_in_force",
    "persisted_through_turnover",
    "practice_change",
    "costly_reversal",
    "structural_change_in_force_reason",
    "persisted_through_turnover_reason",
    "practice_change_reason",
    "costly_reversal_reason",
    "explanation",
    "suggested_stage",  # vocab.STAGES
    "suggested_stage_reason",
)

STAGE_HISTORY_COLUMNS = ("institution", "period", "stage", "moved_backwards", "note")

PREMATURE = (
    "No institutional decision is recorded as reversed in response to work with the community "
    "at a cost to the institution, so calling this work culture change is premature, whatever "
    "else has happened."
)


def _names(frame: pd.DataFrame, column: str, index: pd.Index) -> pd.Series:
    """Per institution, the distinct values of `column` joined with commas ("" when none)."""
    distinct = frame.drop_duplicates(["institution", column])
    joined = distinct[column].astype(str).groupby(distinct["institution"]).agg(", ".join)
    return joined.reindex(index).fillna("")


def phase_criteria(
    *,
    changes: pd.DataFrame,
    change_tests: pd.DataFrame,
    practice: pd.DataFrame,
    answers: pd.DataFrame,
    as_of: pd.Series,
) -> pd.DataFrame:
    """Per institution of `as_of`: the four criteria with their sentences, phase, explanation.

    `changes` is `persistence.change_summaries(...)`, `change_tests` is
    `persistence.persistence_tests(...)`, `practice` is `indicators.practice_change(...)` and
    `answers` is `diagnostic.diagnostic_answers(...)`. Suggested stages are added by
    `suggested_stages`.
    """
    index = as_of.index
    structural = changes[changes["kind"] != "practice"]
    in_force = structural[structural["status"].isin(IN_FORCE)]
    practice_in_force = changes[(changes["kind"] == "practice") & changes["status"].isin(IN_FORCE)]
    # `later` needs one structural change that is in force now (not weakened), persisted
    # through at least one turnover, and was not reversed after any.
    qualifying = structural[
        (structural["status"] == "in_force") & (structural["summary"] == "persisted")
    ]
    persisted = change_tests[
        (change_tests["verdict"] == "persisted") & change_tests["change"].isin(qualifying["change"])
    ]
    persisted = persisted.sort_values(["institution", "turnover_date"], kind="stable")
    persisted = persisted.assign(
        _words="change "
        + persisted["change"].astype(str)
        + " persisted through "
        + persisted["turnover_label"].astype(str)
        + " (confirmed on "
        + iso_dates(persisted["decided_by_date"]).fillna("")
        + ")"
    )
    weakened = structural[structural["status"] == "weakened"]
    improved = practice[practice["improved"]]

    out = pd.DataFrame(index=index)
    out["as_of"] = as_of
    date = iso_dates(out["as_of"]).fillna("the as-of date")
    in_force_names = _names(in_force, "change", index)
    persisted_names = _names(persisted, "_words", index)
    weakened_names = _names(weakened, "change", index)
    practice_names = _names(practice_in_force, "change", index)
    improved_names = _names(improved, "indicator", index)
    answer = answers.set_index("institution").reindex(index)

    out["structural_change_in_force"] = in_force_names != ""
    out["persisted_through_turnover"] = persisted_names != ""
    out["practice_change"] = (improved_names != "") | (practice_names != "")
    out["costly_reversal"] = answer["costly_reversal"].fillna(False).astype(bool)

    weakened_text = np.where(
        weakened_names != "",
        " Recorded as weakened (counts for the middle phase only): " + weakened_names + ".",
        "",
    )
    out["structural_change_in_force_reason"] = np.where(
        out["structural_change_in_force"],
        "Structural change in force as of " + date + ": " + in_force_names + "." + weakened_text,
        "No structural change (beyond practice level) is in force as of " + date + ".",
    )
    out["persisted_through_turnover_reason"] = np.where(
        out["persisted_through_turnover"],
        "A structural change in force (not weakened) that was not reversed after any turnover "
        "is confirmed as persisting through a turnover: " + persisted_names + ".",
        "No structural change that is in force (not weakened) and was not reversed after any "
        "turnover has yet been shown to persist through a turnover.",
    )
    improved_text = np.where(
        improved_names != "", "Improved beyond the tolerance: " + improved_names + ". ", ""
    )
    practice_text = np.where(
        practice_names != "", "Practice-level change in force: " + practice_names + ".", ""
    )
    out["practice_change_reason"] = np.where(
        out["practice_change"],
        pd.Series(improved_text, index=index) + practice_text,
        "No indicator improved beyond the tolerance and no practice-level change is in force.",
    )
    out["costly_reversal_reason"] = answer["sentence"].fillna(PREMATURE)
    out["phase"] = np.select(
        [
            out["structural_change_in_force"]
            & out["persisted_through_turnover"]
            & out["costly_reversal"],
            out["costly_reversal"]
            & (out["practice_change"] | out["structural_change_in_force"])
            & ~out["persisted_through_turnover"],
        ],
        ["later", "middle"],
        "early",
    )
    out["_persisted_words"] = persisted_names
    out["_weakened_words"] = weakened_names
    out["explanation"] = [_explain(row) for row in out.to_dict("records")]
    out = out.drop(columns=["_persisted_words", "_weakened_words"])
    return out.rename_axis("institution").reset_index()


def _explain(row: Mapping[Hashable, Any]) -> str:
    """One institution's phase in contribution language (a per-institution sentence)."""
    phase = row["phase"]
    in_force = bool(row["structural_change_in_force"])
    persisted = bool(row["persisted_through_turnover"])
    practice = bool(row["practice_change"])
    costly = bool(row["costly_reversal"])
    if phase == "later":
        return (
            f"Meeting the criterion: {row['_persisted_words']}; it is in force, not weakened, "
            "and was not reversed after any turnover. An earlier decision was reversed in "
            "response to work with the community at a cost to the institution: the evidence is "
            "consistent with the later phase, where the change is embedded in institutional "
            "processes alongside the turnover it has been through."
        )
    if phase == "middle":
        alongside = (
            "practice change and a structural change in force"
            if practice and in_force
            else "practice change"
            if practice
            else "a structural change in force"
        )
        weakened = (
            f" (change {row['_weakened_words']} is recorded as weakened, which counts for the "
            "middle phase only)"
            if row["_weakened_words"]
            else ""
        )
        return (
            "An earlier decision was reversed in response to work with the community at a cost "
            f"to the institution, alongside {alongside}, but no structural change in force and "
            "not weakened has yet been shown to persist through a turnover without a reversal"
            f"{weakened}: the evidence is consistent with the middle phase."
        )
    if not costly:
        return f"{PREMATURE} The evidence is consistent with the early phase."
    if persisted and not in_force:
        return (
            "A costly reversal is recorded and a structural change persisted through a "
            "turnover, but no structural change is in force as of the as-of date: the evidence "
            "is consistent with the early phase."
        )
    return (
        "A costly reversal is recorded, but there is neither practice change nor a structural "
        "change in force yet: the evidence is consistent with the early phase."
    )


def suggested_stages(
    *,
    changes: pd.DataFrame,
    change_tests: pd.DataFrame,
    activities: pd.DataFrame,
    partners: pd.DataFrame,
    as_of: pd.Series,
) -> pd.DataFrame:
    """Per institution of `as_of`: `suggested_stage` and `suggested_stage_reason`.

    The rule is in the module docstring. `changes` and `change_tests` are the results of
    `persistence.change_summaries` and `persistence.persistence_tests`.
    """
    index = as_of.index
    started = pd.concat(
        [
            on_or_before_as_of(activities, "start", as_of)["institution"],
            on_or_before_as_of(partners, "start", as_of)["institution"],
            changes["institution"],
        ]
    )
    in_force = changes[changes["status"].isin(IN_FORCE)]
    held = change_tests[
        (change_tests["verdict"] == "persisted") & change_tests["change"].isin(in_force["change"])
    ]
    turnovers_survived = (
        held.drop_duplicates(["change", "turnover_kind", "role", "partner", "turnover_date"])
        .groupby("change")
        .size()
    )
    most = (
        turnovers_survived.rename("n")
        .reset_index()
        .merge(in_force[["change", "institution"]], on="change")
        .groupby("institution")["n"]
        .max()
        .reindex(index)
        .fillna(0)
    )
    has_started = index.isin(started.unique())
    has_in_force = index.isin(in_force["institution"].unique())
    stage = np.select(
        [most >= 2, most >= 1, has_in_force, has_started],
        ["sustainability", "full_implementation", "initial_implementation", "installation"],
        "exploration",
    )
    reason = np.select(
        [most >= 2, most >= 1, has_in_force, has_started],
        [
            "A change still in force persisted through two or more turnovers.",
            "A change still in force persisted through a turnover.",
            "A change is in force, but none still in force has yet been shown to persist "
            "through a turnover.",
            "Engagement, activities or changes have started, but no change is in force.",
        ],
        "No partner engagement, activity or change has started by the as-of date.",
    )
    return pd.DataFrame(
        {"institution": index, "suggested_stage": stage, "suggested_stage_reason": reason}
    )


def stage_history(
    *, observations: pd.DataFrame, turnovers: pd.DataFrame, as_of: pd.Series
) -> pd.DataFrame:
    """The evaluator's stage judgements by quarter, noting where a stage moved backwards.

    Only observations of quarters ending on or before the as-of date with a stage. A backward
    move names the turnover that fell since the previous judgement, if any.
    """
    judged = observations.dropna(subset=["stage"]).assign(
        period_end=lambda frame: period_end_dates(frame["period"])
    )
    judged = on_or_before_as_of(judged, "period_end", as_of)
    judged = judged.sort_values(["institution", "period_end"], kind="stable").reset_index(drop=True)
    previous = judged.groupby("institution")["stage"].shift(1)
    previous_end = judged.groupby("institution")["period_end"].shift(1)
    rank_of = {stage: rank for rank, stage in enumerate(STAGES)}
    moved_back = previous.notna() & (judged["stage"].map(rank_of) < previous.map(rank_of))

    latest = pd.merge_asof(
        # merge_asof needs the left side sorted by its date alone, not by institution first.
        judged[["institution", "period_end"]]
        .reset_index(names="_row")
        .sort_values("period_end", kind="stable"),
        # Ties on a date broken by label: the same answer whichever institutions run together.
        turnovers[["institution", "date", "label"]].sort_values(["date", "label"], kind="stable"),
        left_on="period_end",
        right_on="date",
        by="institution",
        direction="backward",
    ).set_index("_row").sort_index()
    recent = latest["date"].notna() & (
        previous_end.isna() | (latest["date"] > previous_end)
    )
    recent = latest["date"].notna() & (previous_end.isna() | (latest["date"] > previous_end))
    back_text = "moved back from " + previous.astype(str) + " to " + judged["stage"].astype(str)
    judged["moved_backwards"] = moved_back.astype(bool)
    judged["note"] = np.where(
        moved_back,
        back_text + np.where(recent, ", after " + latest["label"].astype(str), ""),
        "",
    )
    return judged[list(STAGE_HISTORY_COLUMNS)]
