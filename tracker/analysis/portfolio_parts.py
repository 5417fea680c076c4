"""What a portfolio summary is made of, institution by institution (`PortfolioParts`): each
institution's phase, as-of date and counts, whether it is at risk, its changes' durations and
its targets. Every part adds up over institutions, so a summary is a sum of parts
(`tracker.analysis.portfolio`) and the results store keeps each institution's parts beside its
analysis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tracker.analysis.results import AnalysisResult
from tracker.analysis.risk import institutions_at_risk
from tracker.analysis.survival import change_durations
from tracker.analysis.targets import TARGET_COUNT_COLUMNS, target_counts
from tracker.dataset import Dataset
from tracker.vocab import CHANGE_SUMMARIES, CHANGE_VERDICTS


def no_targets() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TARGET_COUNT_COLUMNS})


def _per_institution(frame: pd.DataFrame, keys: pd.Index) -> pd.Series:
    """Rows per institution, zeros included."""
    if frame.empty or "institution" not in frame:
        return pd.Series(0, index=keys, dtype="int64")
    rows = frame[frame["institution"].isin(keys)]
    return rows.groupby("institution").size().reindex(keys, fill_value=0).astype("int64")


def _counts_by(
    frame: pd.DataFrame, column: str, vocabulary: tuple[str, ...], keys: pd.Index, prefix: str
) -> dict[str, np.ndarray]:
    """Per institution, the rows with each word of `vocabulary` in `column` (zeros included),
    as the columns `prefix` + word."""
    return {
        f"{prefix}{word}": _per_institution(
            frame[frame[column] == word] if len(frame) else frame, keys
        ).to_numpy()
        for word in vocabulary
    }


@dataclass(frozen=True)
class PortfolioParts:
    """What a portfolio summary is made of, institution by institution: every part of it adds
    up over institutions, so the results store keeps each institution's parts beside its
    analysis (`tracker.store.portfolio_parts`) and a summary of 25,000 institutions is a sum, not an
    analysis.

    - `rows`: `PART_COLUMNS`, one row per institution analysed (its phase, as-of date, counts
      of turnovers and changes, and of persistence tests by verdict and changes by summary);
    - `at_risk`: `risk.RISK_COLUMNS`, the institutions at risk;
    - `durations`: `survival.DURATION_COLUMNS`, one row per change adopted by the as-of date;
    - `targets`: `targets.TARGET_COUNT_COLUMNS`, the institutions with targets.
    """

    rows: pd.DataFrame
    at_risk: pd.DataFrame
    durations: pd.DataFrame
    targets: pd.DataFrame = field(default_factory=lambda: no_targets())

    def only(self, keys: pd.Index) -> PortfolioParts:
        """The parts of these institutions."""
        return PortfolioParts(
            rows=self.rows[self.rows["institution"].isin(keys)].reset_index(drop=True),
            at_risk=self.at_risk[self.at_risk["institution"].isin(keys)].reset_index(drop=True),
            durations=self.durations[self.durations["institution"].isin(keys)].reset_index(
                drop=True
            ),
            targets=self.targets[self.targets["institution"].isin(keys)].reset_index(drop=True),
        )


VERDICT_PREFIX = "tests_"


SUMMARY_PREFIX = "changes_"


PART_COLUMNS = (
    "institution",
    "phase",
    "as_of",
    "suggested_stage",
    "costly_reversal",
    "turnovers",
    "changes",
    "tested",
    *(f"{VERDICT_PREFIX}{verdict}" for verdict in CHANGE_VERDICTS),
    *(f"{SUMMARY_PREFIX}{summary}" for summary in CHANGE_SUMMARIES),
)


def portfolio_parts(
    dataset: Dataset,
    result: AnalysisResult,
    keys: pd.Index | None = None,
    *,
    today: dt.date | None = None,
) -> PortfolioParts:
    """The parts of the analysed institutions (only `keys` among them, when given).

    The at-risk rule and survival read the data set's leadership, diagnostics, changes and
    status records, each as of its institution's as-of date; targets are judged as of the
    parameters' as-of date, else `today` (default: the system date), as the target pages do.
    """
    analysed = (
        pd.Index(sorted(result.phases["institution"].unique()))
        if len(result.phases)
        else pd.Index([], dtype=object)
    )
    keys = analysed if keys is None else analysed.intersection(keys)

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["institution"].isin(keys)] if len(frame) else frame

    phases = result.phases.drop_duplicates("institution").set_index("institution").reindex(keys)
    as_of = (
        result.as_of.drop_duplicates("institution").set_index("institution")["as_of"]
        if len(result.as_of)
        else pd.Series(dtype="datetime64[ns]")
    ).reindex(keys)
    tests, changes = mine(result.change_tests), mine(result.changes)
    tested = changes[changes["n_tests"] > 0] if len(changes) else changes
    rows = pd.DataFrame(
        {
            "institution": keys,
            "phase": phases["phase"].to_numpy(),
            "as_of": pd.to_datetime(phases["as_of"]).to_numpy(),
            "suggested_stage": phases["suggested_stage"].to_numpy(),
            "costly_reversal": phases["costly_reversal"].astype(bool).to_numpy(),
            "turnovers": _per_institution(result.turnovers, keys).to_numpy(),
            "changes": _per_institution(changes, keys).to_numpy(),
            "tested": _per_institution(tested, keys).to_numpy(),
            **_counts_by(tests, "verdict", CHANGE_VERDICTS, keys, VERDICT_PREFIX),
            **_counts_by(changes, "summary", CHANGE_SUMMARIES, keys, SUMMARY_PREFIX),
        }
    )
    at_risk = institutions_at_risk(mine(dataset["leadership"]), mine(dataset["diagnostics"]), as_of)
    durations = change_durations(
        mine(dataset["changes"]),
        dataset["change_status"],
        as_of=as_of,
        tested=set(tests["change"]) if len(tests) else set(),
    )
    targets = mine(target_counts(dataset, result.parameters.as_of or today or dt.date.today()))
    return PortfolioParts(
        rows=rows[list(PART_COLUMNS)], at_risk=at_risk, durations=durations, targets=targets
    )
