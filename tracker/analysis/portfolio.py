"""The portfolio summary a funder reads (product.md, "Portfolio").

Counts of institutions by phase, persistence tests by verdict, change summaries, the share of
structural changes a turnover has tested, the institutions at risk, survival of changes, and the
drill-down table, with their caveats. Every count is a vectorised aggregation over the frames
kept on the `AnalysisResult` (no loop per institution), so it stays interactive at national
scale (25,000 institutions).

"Structural changes" here are all rows of the changes table: each is a change whose
persistence is tracked (product.md, "Domain"), including practice-level ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.analysis.params import Parameters
from tracker.analysis.persistence import UNTESTED_SENTENCE
from tracker.analysis.results import AnalysisResult, json_date, json_number, to_date
from tracker.analysis.risk import institutions_at_risk
from tracker.analysis.survival import SurvivalResult, change_durations, survival_of_changes
from tracker.dataset import Dataset
from tracker.vocab import CHANGE_SUMMARIES, CHANGE_VERDICTS, PHASES

DRILL_DOWN_COLUMNS = (
    "institution",
    "name",
    "kind",
    "phase",
    "as_of",
    "suggested_stage",
    "costly_reversal",
    "turnovers",
    "changes",
    "tested",
    "persisted",
    "reversed_after_turnover",
    "untested",
    "at_risk",
)

CONTRIBUTION_NOTE = (
    "These counts describe the institutions followed; they show what the evidence is "
    "consistent with, not what any single programme or funder made happen."
)


@dataclass(frozen=True)
class PortfolioSummary:
    """Everything a funder sees about a portfolio as of each institution's as-of date."""

    portfolio: str | None
    name: str | None
    parameters: Parameters
    institutions: pd.DataFrame  # DRILL_DOWN_COLUMNS, one row per institution
    phase_counts: pd.DataFrame  # phase, institutions (every phase listed)
    verdict_counts: pd.DataFrame  # verdict, tests (every verdict listed)
    summary_counts: pd.DataFrame  # summary, changes (every summary listed)
    n_changes: int
    n_tested: int
    at_risk: pd.DataFrame  # risk.RISK_COLUMNS plus name
    survival: SurvivalResult
    caveats: tuple[str, ...]

    @property
    def n_institutions(self) -> int:
        return len(self.institutions)

    @property
    def tested_share(self) -> float | None:
        """The share of changes a turnover has tested; None when there are no changes."""
        return self.n_tested / self.n_changes if self.n_changes else None

    @property
    def tested_sentence(self) -> str:
        if not self.n_changes:
            return "No structural change is recorded, so none has been tested by a turnover."
        share = self.tested_share or 0.0
        return (
            f"{self.n_tested} of {self.n_changes} structural changes ({share:.0%}) have been "
            f"tested by a turnover (n = {self.n_changes})."
        )

    @property
    def title(self) -> str:
        if self.portfolio is None:
            return "All institutions"
        return self.name or self.portfolio

    def to_json(self) -> dict[str, Any]:
        """Plain JSON: counts, share, at-risk reasons, survival and the drill-down rows."""
        rows = []
        for row in self.institutions.to_dict(orient="records"):
            rows.append({k: _json_value(v) for k, v in row.items()})
        risks = []
        for row in self.at_risk.to_dict(orient="records"):
            risks.append({k: _json_value(v) for k, v in row.items()})
        return {
            "portfolio": self.portfolio,
            "name": self.name,
            "parameters": self.parameters.to_json(),
            "n_institutions": self.n_institutions,
            "phases": dict(zip(self.phase_counts["phase"], _ints(self.phase_counts), strict=True)),
            "verdicts": dict(
                zip(self.verdict_counts["verdict"], _ints(self.verdict_counts), strict=True)
            ),
            "summaries": dict(
                zip(self.summary_counts["summary"], _ints(self.summary_counts), strict=True)
            ),
            "changes": self.n_changes,
            "tested": self.n_tested,
            "tested_share": json_number(self.tested_share),
            "at_risk": risks,
            "survival": self.survival.to_json(),
            "institutions": rows,
            "caveats": list(self.caveats),
        }


def _ints(counts: pd.DataFrame) -> list[int]:
    return [int(value) for value in counts.iloc[:, 1]]


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, pd.Timestamp | dt.date):
        return json_date(to_date(value))
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _counts(values: pd.Series, vocabulary: tuple[str, ...], label: str, count: str) -> pd.DataFrame:
    """Counts of each word of a vocabulary, zeros included, in the vocabulary's order."""
    counted = values.value_counts().reindex(list(vocabulary), fill_value=0)
    return pd.DataFrame({label: list(vocabulary), count: counted.to_numpy(dtype="int64")})


def _members(
    dataset: Dataset, portfolio: str | None, analysed: pd.Index
) -> tuple[pd.Index, str | None, int]:
    """The institutions summarised, the portfolio's name, and how many were not analysed."""
    if portfolio is None:
        return analysed, None, 0
    rows = dataset["portfolios"][dataset["portfolios"]["portfolio"] == portfolio]
    if rows.empty:
        raise KeyError(f"portfolio {portfolio!r} is not recorded in the portfolios table")
    names = rows["name"].dropna()
    wanted = pd.Index(sorted(set(rows["institution"])))
    return (
        wanted.intersection(analysed),
        (str(names.iloc[0]) if len(names) else None),
        len(wanted.difference(analysed)),
    )


def _per_institution(frame: pd.DataFrame, keys: pd.Index, column: str | None = None) -> pd.Series:
    """Rows per institution (or rows per institution and value of `column`), zeros included."""
    if frame.empty or "institution" not in frame:
        return pd.Series(0, index=keys, dtype="int64")
    rows = frame[frame["institution"].isin(keys)]
    return rows.groupby("institution").size().reindex(keys, fill_value=0).astype("int64")


def _drill_down(
    dataset: Dataset, result: AnalysisResult, keys: pd.Index, risky: pd.Index
) -> pd.DataFrame:
    institutions = dataset["institutions"].drop_duplicates("key").set_index("key")
    phases = result.phases.drop_duplicates("institution").set_index("institution").reindex(keys)
    changes = (
        result.changes[result.changes["institution"].isin(keys)]
        if len(result.changes)
        else result.changes
    )
    tested = changes[changes["n_tests"] > 0] if len(changes) else changes

    def by_summary(summary: str) -> pd.Series:
        if changes.empty:
            return pd.Series(0, index=keys, dtype="int64")
        return _per_institution(changes[changes["summary"] == summary], keys)

    out = pd.DataFrame(
        {
            "institution": keys,
            "name": institutions["name"].reindex(keys).to_numpy(),
            "kind": institutions["kind"].reindex(keys).to_numpy(),
            "phase": phases["phase"].to_numpy(),
            "as_of": pd.to_datetime(phases["as_of"]).to_numpy(),
            "suggested_stage": phases["suggested_stage"].to_numpy(),
            "costly_reversal": phases["costly_reversal"].astype(bool).to_numpy(),
            "turnovers": _per_institution(result.turnovers, keys).to_numpy(),
            "changes": _per_institution(changes, keys).to_numpy(),
            "tested": _per_institution(tested, keys).to_numpy(),
            "persisted": by_summary("persisted").to_numpy(),
            "reversed_after_turnover": by_summary("reversed_after_turnover").to_numpy(),
            "untested": by_summary("untested").to_numpy(),
            "at_risk": keys.isin(risky),
        }
    )
    return out[list(DRILL_DOWN_COLUMNS)].reset_index(drop=True)


def _caveats(
    summary_counts: pd.DataFrame,
    verdict_counts: pd.DataFrame,
    survival: SurvivalResult,
    missing: int,
) -> tuple[str, ...]:
    notes = [CONTRIBUTION_NOTE]
    untested = int(summary_counts.loc[summary_counts["summary"] == "untested", "changes"].sum())
    if untested:
        notes.append(
            f"{untested} structural changes have not been tested by a turnover. {UNTESTED_SENTENCE}"
        )
    verdicts = verdict_counts.set_index("verdict")["tests"]
    if verdicts["too_early"]:
        notes.append(
            f"{int(verdicts['too_early'])} persistence tests are too early to judge: their "
            "windows end after the as-of date."
        )
    if verdicts["unconfirmed"]:
        notes.append(
            f"{int(verdicts['unconfirmed'])} persistence tests are unconfirmed: the evaluator is "
            "asked to confirm the status of those changes."
        )
    if missing:
        notes.append(f"{missing} institutions of this portfolio are not in this analysis.")
    notes.extend(survival.caveats)
    return tuple(notes)


def portfolio_summary(
    dataset: Dataset, result: AnalysisResult, *, portfolio: str | None = None
) -> PortfolioSummary:
    """Summarise the analysed institutions of a portfolio (all analysed ones when None).

    Raises KeyError for a portfolio key that is not recorded. Counts use the result's frames;
    the at-risk rule and survival read the data set's leadership, diagnostics, changes and
    status records, each as of its institution's as-of date.
    """
    analysed = (
        pd.Index(sorted(result.phases["institution"]))
        if len(result.phases)
        else pd.Index([], dtype=object)
    )
    keys, name, missing = _members(dataset, portfolio, analysed)
    as_of = (
        result.as_of.drop_duplicates("institution").set_index("institution")["as_of"]
        if len(result.as_of)
        else pd.Series(dtype="datetime64[ns]")
    )
    as_of = as_of.reindex(keys)

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["institution"].isin(keys)] if len(frame) else frame

    phases, tests, changes = mine(result.phases), mine(result.change_tests), mine(result.changes)
    phase_counts = _counts(
        phases["phase"] if len(phases) else pd.Series(dtype=object), PHASES, "phase", "institutions"
    )
    verdict_counts = _counts(
        tests["verdict"] if len(tests) else pd.Series(dtype=object),
        CHANGE_VERDICTS,
        "verdict",
        "tests",
    )
    summary_counts = _counts(
        changes["summary"] if len(changes) else pd.Series(dtype=object),
        CHANGE_SUMMARIES,
        "summary",
        "changes",
    )
    n_changes = len(changes)
    n_tested = int((changes["n_tests"] > 0).sum()) if n_changes else 0

    at_risk = institutions_at_risk(mine(dataset["leadership"]), mine(dataset["diagnostics"]), as_of)
    names = dataset["institutions"].drop_duplicates("key").set_index("key")["name"]
    at_risk.insert(1, "name", at_risk["institution"].map(names))

    durations = change_durations(
        mine(dataset["changes"]),
        dataset["change_status"],
        as_of=as_of,
        tested=set(tests["change"]) if len(tests) else set(),
    )
    survival = survival_of_changes(durations)
    institutions = _drill_down(dataset, result, keys, pd.Index(at_risk["institution"]))
    return PortfolioSummary(
        portfolio=portfolio,
        name=name,
        parameters=result.parameters,
        institutions=institutions,
        phase_counts=phase_counts,
        verdict_counts=verdict_counts,
        summary_counts=summary_counts,
        n_changes=n_changes,
        n_tested=n_tested,
        at_risk=at_risk,
        survival=survival,
        caveats=_caveats(summary_counts, verdict_counts, survival, missing),
    )
