"""What an analysis returns: frozen dataclasses per institution, plus the frames behind them.

`AnalysisResult.to_json()` is the contract of interfaces.md (`tracker analyse --format json`):
the keys and vocabularies named there are exactly these; every other key is an addition.
The frames (`turnovers`, `change_tests`, `changes`, `indicator_tests`, ...) are kept on the
result so that portfolio and story code can aggregate across institutions without re-running.

The parts of a result have their own modules (`change_results`, `indicator_results`,
`phase_results`, and `json_values` for the JSON of a value); every part can be imported from
here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import pandas as pd

from tracker.analysis.change_results import ChangeResult, ChangeTest, TurnoverRef
from tracker.analysis.indicator_results import (
    IndicatorResult,
    IndicatorTest,
    ItsEstimate,
    PracticeChange,
)
from tracker.analysis.json_values import JsonDict, json_date, json_number, to_date
from tracker.analysis.params import Parameters
from tracker.analysis.phase_results import (
    CRITERIA,
    CommissioningDiagnostics,
    Criteria,
    DecisionFlags,
    Diagnostic,
    PhaseResult,
    StageJudgement,
)


@dataclass(frozen=True)
class InstitutionResult:
    """Everything the analysis says about one institution as of its as-of date."""

    institution: str
    as_of: dt.date | None
    phase: PhaseResult
    diagnostic: Diagnostic
    turnovers: tuple[TurnoverRef, ...] = ()
    changes: tuple[ChangeResult, ...] = ()
    indicators: tuple[IndicatorResult, ...] = ()
    practice: tuple[PracticeChange, ...] = ()

    @property
    def criteria(self) -> Criteria:
        return self.phase.criteria

    def to_json(self, *, with_its: bool = False) -> JsonDict:
        """The shape of interfaces.md for one institution, plus additions."""
        return {
            "institution": self.institution,
            "as_of": json_date(self.as_of),
            "phase": self.phase.phase,
            "phase_explanation": self.phase.explanation,
            "diagnostic": self.diagnostic.to_json(),
            "criteria": self.criteria.to_json(),
            "criteria_reasons": self.criteria.reasons_json(),
            "suggested_stage": self.phase.suggested_stage,
            "suggested_stage_reason": self.phase.suggested_stage_reason,
            "stage_history": [item.to_json() for item in self.phase.stage_history],
            "turnovers": [item.to_json() for item in self.turnovers],
            "changes": [item.to_json() for item in self.changes],
            "indicators": [item.to_json(with_its=with_its) for item in self.indicators],
            "practice_change": [item.to_json() for item in self.practice],
        }


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


class InstitutionSource(Protocol):
    """Where an `AnalysisResult` gets its per-institution objects from (built on demand)."""

    def keys(self) -> list[str]: ...

    def one(self, key: str) -> InstitutionResult: ...

    def every(self) -> tuple[InstitutionResult, ...]: ...

    def each(self) -> Iterator[InstitutionResult]: ...


@dataclass(frozen=True, eq=False)
class AnalysisResult:
    """The result of `analyse`: per-institution objects and the frames behind them.

    The frames are computed by `analyse`; the per-institution objects are built from them on
    demand (`institution(key)` builds one, `institutions` and `to_json()` build all), so that a
    national-scale analysis read through its frames never pays for 25,000 object trees.

    Frames (one row each; dates as `datetime64[ns]`):
    - `as_of`: institution, as_of;
    - `turnovers`: see `turnovers.TURNOVER_COLUMNS`;
    - `change_tests`: see `persistence.CHANGE_TEST_COLUMNS` (one row per change × turnover);
    - `changes`: see `persistence.CHANGE_SUMMARY_COLUMNS` (one row per change);
    - `indicator_tests`: see `indicators.INDICATOR_TEST_COLUMNS`, without `reason` (rendered
      on each `IndicatorTest`: millions of sentences nobody reads would dominate the run);
    - `practice`: see `indicators.PRACTICE_COLUMNS`, without `reason` (likewise);
    - `phases`: see `phases.PHASE_COLUMNS` (criteria, phase, explanation, suggested stage);
    - `decisions`: see `diagnostic.DECISION_FLAG_COLUMNS` (every decision, the flags it lacks);
    - `commissioning`: the latest commissioning-diagnostics row per institution;
    - `stage_history`: see `phases.STAGE_HISTORY_COLUMNS`;
    - `its`: see `run.ITS_COLUMNS` (only with `include_its=True`, else empty).
    """

    parameters: Parameters
    source: InstitutionSource | None = field(default=None, repr=False)
    include_its: bool = False
    as_of: pd.DataFrame = field(default_factory=_empty)
    turnovers: pd.DataFrame = field(default_factory=_empty)
    change_tests: pd.DataFrame = field(default_factory=_empty)
    changes: pd.DataFrame = field(default_factory=_empty)
    indicator_tests: pd.DataFrame = field(default_factory=_empty)
    practice: pd.DataFrame = field(default_factory=_empty)
    phases: pd.DataFrame = field(default_factory=_empty)
    decisions: pd.DataFrame = field(default_factory=_empty)
    commissioning: pd.DataFrame = field(default_factory=_empty)
    stage_history: pd.DataFrame = field(default_factory=_empty)
    its: pd.DataFrame = field(default_factory=_empty)

    @cached_property
    def institutions(self) -> tuple[InstitutionResult, ...]:
        """Every institution's result, sorted by key (built on first use, then kept)."""
        return () if self.source is None else self.source.every()

    @property
    def institution_keys(self) -> list[str]:
        """The institutions analysed, sorted (without building their results)."""
        return [] if self.source is None else self.source.keys()

    def __iter__(self) -> Iterator[InstitutionResult]:
        return iter(self.institutions)

    def each_institution(self) -> Iterator[InstitutionResult]:
        """Every institution's result in key order, built one at a time and not kept: for
        writing a large result out without holding all of it."""
        if "institutions" in self.__dict__ or self.source is None:
            yield from self.institutions
        else:
            yield from self.source.each()

    def __len__(self) -> int:
        return len(self.institution_keys)

    def institution(self, key: str) -> InstitutionResult:
        """The result for one institution; KeyError when it was not analysed."""
        if "institutions" in self.__dict__:
            for item in self.institutions:
                if item.institution == key:
                    return item
        if self.source is None:
            raise KeyError(f"institution {key!r} is not in this analysis")
        return self.source.one(key)

    def to_json(self) -> JsonDict:
        """Exactly the shape of interfaces.md (`tracker analyse --format json`)."""
        return {
            "parameters": self.parameters.to_json(),
            "institutions": [
                item.to_json(with_its=self.include_its) for item in self.institutions
            ],
        }


# Every part of a result, importable from here as before the parts had their own modules.
__all__ = [
    "CRITERIA",
    "AnalysisResult",
    "ChangeResult",
    "ChangeTest",
    "CommissioningDiagnostics",
    "Criteria",
    "DecisionFlags",
    "Diagnostic",
    "IndicatorResult",
    "IndicatorTest",
    "InstitutionResult",
    "InstitutionSource",
    "ItsEstimate",
    "JsonDict",
    "PhaseResult",
    "PracticeChange",
    "StageJudgement",
    "TurnoverRef",
    "json_date",
    "json_number",
    "to_date",
]
