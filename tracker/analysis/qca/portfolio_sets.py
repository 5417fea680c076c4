"""Conditions and outcomes of a portfolio's institutions, declared as data, for QCA.

Each set is computed per institution, as of its as-of date, from what the portfolio summary
already holds (`PortfolioSummary.institutions`, the drill-down rows, with its target counts):
nothing is analysed again. A crisp set is 1 or 0; a fuzzy set is calibrated by Ragin's
direct method with the anchors given here. An outcome about tested changes is undefined for an
institution without one: such institutions are left out and counted, not counted as failures
(untested persistence is not persistence).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.qca.calibration import direct_fuzzy

Measure = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class PortfolioSet:
    key: str
    role: str  # "condition" or "outcome"
    kind: str  # "crisp" or "fuzzy"
    label: str  # the set in words ("a costly reversal")
    absent: str  # its negation in words ("no costly reversal")
    help: str
    measure: Measure  # drill-down rows (one per institution) → membership, NaN when undefined


def _crisp(values: pd.Series) -> pd.Series:
    return values.astype(bool).astype(float)


def _tested_only(rows: pd.DataFrame, values: pd.Series) -> pd.Series:
    return values.where(rows["tested"] > 0)


PORTFOLIO_SETS: tuple[PortfolioSet, ...] = (
    PortfolioSet(
        "turnover",
        "condition",
        "crisp",
        "a turnover",
        "no turnover",
        "At least one turnover by the as-of date: a key role changed holder, or a partner "
        "withdrew.",
        lambda rows: _crisp(rows["turnovers"] >= 1),
    ),
    PortfolioSet(
        "repeated_turnover",
        "condition",
        "crisp",
        "two or more turnovers",
        "fewer than two turnovers",
        "Two or more turnovers (key-role changes of holder or partner withdrawals) by the as-of "
        "date.",
        lambda rows: _crisp(rows["turnovers"] >= 2),
    ),
    PortfolioSet(
        "costly_reversal",
        "condition",
        "crisp",
        "a costly reversal",
        "no costly reversal",
        "The diagnostic question answered yes: a decision was reversed because of work with "
        "the community, at a cost to the institution.",
        lambda rows: _crisp(rows["costly_reversal"]),
    ),
    PortfolioSet(
        "at_risk",
        "condition",
        "crisp",
        "at risk",
        "not at risk",
        "A key role vacant or changing, or a tenure ending, with no succession plan recorded.",
        lambda rows: _crisp(rows["at_risk"]),
    ),
    PortfolioSet(
        "many_changes",
        "condition",
        "fuzzy",
        "many structural changes",
        "few structural changes",
        "Structural changes recorded, calibrated by the direct method: 1 change fully out, "
        "2.5 the crossover, 4 or more fully in.",
        lambda rows: pd.Series(
            direct_fuzzy(rows["changes"].to_numpy(dtype=float), 1.0, 2.5, 4.0), index=rows.index
        ),
    ),
    PortfolioSet(
        "untested_change",
        "condition",
        "crisp",
        "a change not yet tested",
        "every change tested",
        "At least one structural change that no turnover has tested yet.",
        lambda rows: _crisp(rows["untested"] >= 1),
    ),
    PortfolioSet(
        "targets_met",
        "condition",
        "crisp",
        "every due target met",
        "not every due target met",
        "At least one target is due and every due target was met (actual against plan, as on "
        "the targets pages); an institution without a due target is not in the set.",
        lambda rows: _crisp((rows["targets_met"] >= 1) & (rows["targets_not_met"] == 0)),
    ),
    PortfolioSet(
        "persisted",
        "outcome",
        "crisp",
        "every tested change persisted",
        "not every tested change persisted",
        "Every structural change a turnover has tested persisted through it (institutions "
        "without a tested change are left out).",
        lambda rows: _tested_only(rows, _crisp(rows["persisted"] >= rows["tested"])),
    ),
    PortfolioSet(
        "persisted_share",
        "outcome",
        "fuzzy",
        "tested changes persisted",
        "tested changes did not persist",
        "The share of tested structural changes that persisted through their turnover, as a "
        "membership (institutions without a tested change are left out).",
        lambda rows: _tested_only(
            rows, rows["persisted"] / rows["tested"].where(rows["tested"] > 0)
        ),
    ),
    PortfolioSet(
        "later_phase",
        "outcome",
        "crisp",
        "in the later phase",
        "not in the later phase",
        "The institution's phase is later (product.md, phases).",
        lambda rows: _crisp(rows["phase"] == "later"),
    ),
    PortfolioSet(
        "reversed",
        "outcome",
        "crisp",
        "a tested change reversed",
        "no tested change reversed",
        "A structural change was reversed after a turnover tested it (institutions without a "
        "tested change are left out).",
        lambda rows: _tested_only(rows, _crisp(rows["reversed_after_turnover"] >= 1)),
    ),
)
SETS_BY_KEY = {s.key: s for s in PORTFOLIO_SETS}
CONDITION_KEYS = tuple(s.key for s in PORTFOLIO_SETS if s.role == "condition")
OUTCOME_KEYS = tuple(s.key for s in PORTFOLIO_SETS if s.role == "outcome")
# The page offers up to this many conditions at once: 64 configurations, already many more
# than a portfolio of tens of institutions can fill.
PAGE_MAX_CONDITIONS = 6


class PortfolioSetError(ValueError):
    """An unknown condition or outcome, with the ones there are."""


def check_sets(outcome: str, conditions: list[str] | tuple[str, ...]) -> None:
    name = outcome.lstrip("~")
    if name not in OUTCOME_KEYS:
        raise PortfolioSetError(
            f"no portfolio outcome {name!r}: choose one of {', '.join(OUTCOME_KEYS)}"
        )
    unknown = [c for c in conditions if c not in CONDITION_KEYS]
    if unknown:
        raise PortfolioSetError(
            f"no portfolio condition {unknown[0]!r}: choose from {', '.join(CONDITION_KEYS)}"
        )


def _with_targets(summary: PortfolioSummary) -> pd.DataFrame:
    """The drill-down rows with each institution's due targets met and not met (0 if none)."""
    rows = summary.institutions.reset_index(drop=True)
    targets = summary.targets.drop_duplicates("institution").set_index("institution")
    for column in ("met", "not_met"):
        counts = targets[column] if column in targets else pd.Series(dtype="int64")
        values = counts.reindex(rows["institution"]).fillna(0).to_numpy(dtype="int64")
        rows[f"targets_{column}"] = values
    return rows


def case_labels(rows: pd.DataFrame) -> list[str]:
    """Institution names, or "name (key)" where two institutions share a name."""
    names = rows["name"].fillna(rows["institution"]).astype(str)
    shared = names.duplicated(keep=False)
    return [
        f"{name} ({key})" if twice else name
        for name, key, twice in zip(names, rows["institution"], shared, strict=True)
    ]


def portfolio_memberships(
    summary: PortfolioSummary, *, outcome: str, conditions: list[str] | tuple[str, ...]
) -> tuple[pd.DataFrame, list[str]]:
    """The case table (one row per institution, named) and the institutions left out because
    the outcome is undefined for them."""
    check_sets(outcome, conditions)
    rows = _with_targets(summary)
    labels = case_labels(rows)
    columns = {key: SETS_BY_KEY[key].measure(rows).to_numpy(dtype=float) for key in conditions}
    name = outcome.lstrip("~")
    columns[name] = SETS_BY_KEY[name].measure(rows).to_numpy(dtype=float)
    frame = pd.DataFrame(columns, index=pd.Index(labels, name="case"))
    undefined = np.isnan(frame.to_numpy()).any(axis=1)
    left_out = [label for label, out in zip(labels, undefined, strict=True) if out]
    return frame[~undefined], left_out
