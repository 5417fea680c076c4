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
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tracker.analysis.params import Parameters
from tracker.analysis.persistence import UNTESTED_SENTENCE
from tracker.analysis.portfolio_parts import (
    SUMMARY_PREFIX,
    VERDICT_PREFIX,
    PortfolioParts,
    no_targets,
    portfolio_parts,
)
from tracker.analysis.results import AnalysisResult, json_date, json_number, to_date
from tracker.analysis.survival import SurvivalResult, survival_of_changes
from tracker.analysis.verdict_words import verdicts_sentence
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
    # targets.TARGET_COUNT_COLUMNS: the institutions with targets, met / not met / not yet due.
    targets: pd.DataFrame = field(default_factory=lambda: no_targets())

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
        verdicts = dict(
            zip(self.verdict_counts["verdict"], self.verdict_counts["tests"], strict=True)
        )
        return (
            f"{self.n_tested} of {self.n_changes} structural changes ({share:.0%}) have been "
            f"tested by a turnover (n = {self.n_changes}). {verdicts_sentence(verdicts)}"
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
    portfolios: pd.DataFrame, portfolio: str | None, analysed: pd.Index
) -> tuple[pd.Index, str | None, int]:
    """The institutions summarised, the portfolio's name, and how many were not analysed."""
    if portfolio is None:
        return analysed, None, 0
    rows = portfolios[portfolios["portfolio"] == portfolio]
    if rows.empty:
        raise KeyError(f"portfolio {portfolio!r} is not recorded in the portfolios table")
    names = rows["name"].dropna()
    wanted = pd.Index(sorted(set(rows["institution"])))
    return (
        wanted.intersection(analysed),
        (str(names.iloc[0]) if len(names) else None),
        len(wanted.difference(analysed)),
    )


def portfolio_members(portfolios: pd.DataFrame, portfolio: str) -> list[str]:
    """The institution keys of a portfolio, sorted (KeyError when it is not recorded)."""
    rows = portfolios[portfolios["portfolio"] == portfolio]
    if rows.empty:
        raise KeyError(f"portfolio {portfolio!r} is not recorded in the portfolios table")
    return sorted(set(rows["institution"]))


def _drill_down(parts: PortfolioParts, institutions: pd.DataFrame) -> pd.DataFrame:
    rows = parts.rows
    named = institutions.drop_duplicates("key").set_index("key")
    keys = pd.Index(rows["institution"])
    out = pd.DataFrame(
        {
            "institution": keys,
            "name": named["name"].reindex(keys).to_numpy(),
            "kind": named["kind"].reindex(keys).to_numpy(),
            "phase": rows["phase"].to_numpy(),
            "as_of": pd.to_datetime(rows["as_of"]).to_numpy(),
            "suggested_stage": rows["suggested_stage"].to_numpy(),
            "costly_reversal": rows["costly_reversal"].astype(bool).to_numpy(),
            "turnovers": rows["turnovers"].to_numpy(dtype="int64"),
            "changes": rows["changes"].to_numpy(dtype="int64"),
            "tested": rows["tested"].to_numpy(dtype="int64"),
            "persisted": rows[f"{SUMMARY_PREFIX}persisted"].to_numpy(dtype="int64"),
            "reversed_after_turnover": rows[
                f"{SUMMARY_PREFIX}reversed_after_turnover"
            ].to_numpy(dtype="int64"),
            "untested": rows[f"{SUMMARY_PREFIX}untested"].to_numpy(dtype="int64"),
            "at_risk": keys.isin(parts.at_risk["institution"]),
        }
    )
    return out[list(DRILL_DOWN_COLUMNS)].reset_index(drop=True)


def _summed(rows: pd.DataFrame, vocabulary: tuple[str, ...], prefix: str, label: str,
            count: str) -> pd.DataFrame:
    """Counts of each word of a vocabulary over institutions, in the vocabulary's order."""
    totals = [int(rows[f"{prefix}{word}"].sum()) if len(rows) else 0 for word in vocabulary]
    return pd.DataFrame({label: list(vocabulary), count: pd.array(totals, dtype="int64")})


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

    Raises KeyError for a portfolio key that is not recorded.
    """
    keys = None if portfolio is None else pd.Index(
        portfolio_members(dataset["portfolios"], portfolio)
    )
    return summarise_portfolio(
        portfolio_parts(dataset, result, keys),
        institutions=dataset["institutions"],
        portfolios=dataset["portfolios"],
        parameters=result.parameters,
        portfolio=portfolio,
    )


def summarise_portfolio(
    parts: PortfolioParts,
    *,
    institutions: pd.DataFrame,
    portfolios: pd.DataFrame,
    parameters: Parameters,
    portfolio: str | None = None,
) -> PortfolioSummary:
    """The summary of a portfolio (every institution of `parts` when None) from its members'
    parts. `institutions` gives names and kinds (key, name, kind); `portfolios` the members
    (portfolio, institution, name). Raises KeyError for a portfolio key that is not recorded.
    """
    analysed = pd.Index(sorted(parts.rows["institution"]), dtype=object)
    keys, name, missing = _members(portfolios, portfolio, analysed)
    if portfolio is not None:
        parts = parts.only(keys)
    rows = parts.rows
    phase_counts = _counts(
        rows["phase"] if len(rows) else pd.Series(dtype=object), PHASES, "phase", "institutions"
    )
    verdict_counts = _summed(rows, CHANGE_VERDICTS, VERDICT_PREFIX, "verdict", "tests")
    summary_counts = _summed(rows, CHANGE_SUMMARIES, SUMMARY_PREFIX, "summary", "changes")
    n_changes = int(rows["changes"].sum()) if len(rows) else 0
    n_tested = int(rows["tested"].sum()) if len(rows) else 0

    names = institutions.drop_duplicates("key").set_index("key")["name"]
    at_risk = parts.at_risk.copy()
    at_risk.insert(1, "name", at_risk["institution"].map(names))
    survival = survival_of_changes(parts.durations)
    return PortfolioSummary(
        portfolio=portfolio,
        name=name,
        parameters=parameters,
        institutions=_drill_down(parts, institutions),
        phase_counts=phase_counts,
        verdict_counts=verdict_counts,
        summary_counts=summary_counts,
        n_changes=n_changes,
        n_tested=n_tested,
        at_risk=at_risk,
        survival=survival,
        caveats=_caveats(summary_counts, verdict_counts, survival, missing),
        targets=parts.targets.reset_index(drop=True),
    )
