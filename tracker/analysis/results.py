"""What an analysis returns: frozen dataclasses per institution, plus the frames behind them.

`AnalysisResult.to_json()` is the contract of interfaces.md (`tracker analyse --format json`):
the keys and vocabularies named there are exactly these; every other key is an addition.
The frames (`turnovers`, `change_tests`, `changes`, `indicator_tests`, ...) are kept on the
result so that portfolio and story code can aggregate across institutions without re-running.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import pandas as pd

from tracker.analysis.params import Parameters

JsonDict = dict[str, Any]


def json_number(value: float | int | None) -> float | None:
    """A float as plain JSON: rounded to 6 decimals, NaN and infinities as null."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    rounded = round(number, 6)
    # -0.0 reads oddly in a report and means the same as 0.0.
    return 0.0 if rounded == 0 else rounded


def json_date(value: dt.date | None) -> str | None:
    """A date as an ISO string, or null."""
    return None if value is None else value.isoformat()


def to_date(value: Any) -> dt.date | None:
    """A pandas timestamp (or date, or NaT/None) as a `datetime.date`, or None."""
    if type(value) is dt.date:
        return value
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


@dataclass(frozen=True)
class TurnoverRef:
    """A turnover event: a change of holder in a key role, or a partner withdrawal."""

    kind: str  # vocab.TURNOVER_KINDS
    date: dt.date
    role: str | None = None  # leadership only
    partner: str | None = None  # partner_withdrawal only
    outgoing: str | None = None  # the holder who left (leadership) or the partner
    incoming: str | None = None  # the next holder, None when the role was left vacant
    reason: str = ""
    # The quarters its indicator tests compare, said once here rather than in every test.
    indicator_quarters: str = ""

    @property
    def label(self) -> str:
        """A short human label, e.g. "chief_executive turnover on 2018-03-31"."""
        if self.kind == "leadership":
            return f"{self.role} turnover on {self.date.isoformat()}"
        return f"withdrawal of partner {self.partner} on {self.date.isoformat()}"

    def ref_json(self) -> JsonDict:
        """The identifying shape used inside tests: {"kind", "role" | "partner", "date"}."""
        return dict(self._ref)

    @cached_property
    def _ref(self) -> JsonDict:
        # Every test of a turnover repeats its reference: built once per turnover.
        out: JsonDict = {"kind": self.kind}
        if self.kind == "leadership":
            out["role"] = self.role
        else:
            out["partner"] = self.partner
        out["date"] = json_date(self.date)
        return out

    def to_json(self) -> JsonDict:
        out = self.ref_json()
        out["outgoing"] = self.outgoing
        out["incoming"] = self.incoming
        out["reason"] = self.reason
        out["indicator_quarters"] = self.indicator_quarters
        return out


@dataclass(frozen=True)
class ChangeTest:
    """One turnover testing one structural change (product.md, persistence rules)."""

    turnover: TurnoverRef
    verdict: str  # vocab.CHANGE_VERDICTS
    window_end: dt.date
    reason: str
    weakened: bool = False
    # The status record that decided the verdict (None for too_early / unconfirmed).
    decided_by_date: dt.date | None = None
    decided_by_status: str | None = None

    def to_json(self) -> JsonDict:
        decided = (
            None
            if self.decided_by_date is None
            else {"date": json_date(self.decided_by_date), "status": self.decided_by_status}
        )
        return {
            "turnover": self.turnover.ref_json(),
            "verdict": self.verdict,
            "window_end": json_date(self.window_end),
            "weakened": self.weakened,
            "decided_by": decided,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ChangeResult:
    """A structural change: its status as of the as-of date and its persistence summary."""

    change: str
    title: str
    kind: str
    adopted: dt.date
    status: str  # vocab.CHANGE_STATUSES, as of the as-of date
    summary: str  # vocab.CHANGE_SUMMARIES
    summary_reason: str
    tests: tuple[ChangeTest, ...] = ()
    chain_link: str | None = None
    culture_level: str | None = None

    def to_json(self) -> JsonDict:
        return {
            "change": self.change,
            "title": self.title,
            "kind": self.kind,
            "adopted": json_date(self.adopted),
            "chain_link": self.chain_link,
            "culture_level": self.culture_level,
            "status": self.status,
            "summary": self.summary,
            "summary_reason": self.summary_reason,
            "tests": [test.to_json() for test in self.tests],
        }


@dataclass(frozen=True)
class ItsEstimate:
    """A segmented regression (interrupted time series) around one turnover.

    Supporting evidence beside the pre/post comparison, never an attribution. `fitted` is
    False when the series is too short (then only `n_pre`, `n_post` and `sentence` are set).
    """

    fitted: bool
    n_pre: int
    n_post: int
    sentence: str
    level_change: float | None = None
    level_low: float | None = None
    level_high: float | None = None
    slope_change: float | None = None
    slope_low: float | None = None
    slope_high: float | None = None

    @property
    def n(self) -> int:
        return self.n_pre + self.n_post

    def to_json(self) -> JsonDict:
        return {
            "fitted": self.fitted,
            "n": self.n,
            "n_pre": self.n_pre,
            "n_post": self.n_post,
            "level_change": json_number(self.level_change),
            "level_change_95": [json_number(self.level_low), json_number(self.level_high)],
            "slope_change": json_number(self.slope_change),
            "slope_change_95": [json_number(self.slope_low), json_number(self.slope_high)],
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class IndicatorTest:
    """One practice indicator compared before and after one turnover."""

    turnover: TurnoverRef
    verdict: str  # vocab.INDICATOR_VERDICTS
    pre_mean: float | None
    post_mean: float | None
    n_pre: int
    n_post: int
    # post_mean - pre_mean (raw, not direction-adjusted) and the allowed worsening.
    change: float | None
    threshold: float | None
    reason: str
    its: ItsEstimate | None = None

    def to_json(self, *, with_its: bool = False) -> JsonDict:
        out: JsonDict = {
            "turnover": self.turnover.ref_json(),
            "verdict": self.verdict,
            "pre_mean": json_number(self.pre_mean),
            "post_mean": json_number(self.post_mean),
            "n_pre": self.n_pre,
            "n_post": self.n_post,
            "change": json_number(self.change),
            "threshold": json_number(self.threshold),
            "reason": self.reason,
        }
        if with_its:
            out["its"] = None if self.its is None else self.its.to_json()
        return out


@dataclass(frozen=True)
class IndicatorResult:
    """A practice indicator of one institution with a test per turnover."""

    indicator: str
    name: str
    higher_is_better: bool
    tests: tuple[IndicatorTest, ...] = ()
    # The rule every test follows (direction, quarters, values needed, tolerance), said once
    # here; each test's reason says only what is its own (`indicator_text`).
    rule: str = ""

    def to_json(self, *, with_its: bool = False) -> JsonDict:
        return {
            "indicator": self.indicator,
            "name": self.name,
            "higher_is_better": self.higher_is_better,
            "rule": self.rule,
            "tests": [test.to_json(with_its=with_its) for test in self.tests],
        }


@dataclass(frozen=True)
class PracticeChange:
    """Whether an indicator improved beyond the tolerance over the institution's record.

    Compares the mean of the earliest values with the mean of the latest values (see
    `indicators.practice_change` for the exact rule).
    """

    indicator: str
    improved: bool
    early_mean: float | None
    late_mean: float | None
    n_early: int
    n_late: int
    reason: str

    def to_json(self) -> JsonDict:
        return {
            "indicator": self.indicator,
            "improved": self.improved,
            "early_mean": json_number(self.early_mean),
            "late_mean": json_number(self.late_mean),
            "n_early": self.n_early,
            "n_late": self.n_late,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class DecisionFlags:
    """One decision and which of the diagnostic question's three flags it lacks."""

    decision: str
    date: dt.date
    title: str
    missing: tuple[str, ...]  # of "reverses_earlier", "because_of_community", "cost"

    @property
    def satisfies(self) -> bool:
        return not self.missing

    def to_json(self) -> JsonDict:
        return {
            "decision": self.decision,
            "date": json_date(self.date),
            "title": self.title,
            "satisfies": self.satisfies,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class CommissioningDiagnostics:
    """The article's four commissioning questions, as last answered on or before as-of."""

    date: dt.date
    leadership_commitment: bool | None
    realistic_timescale: bool | None
    structural_barriers_addressed: bool | None
    succession_plan: bool | None
    notes: str | None = None

    def to_json(self) -> JsonDict:
        return {
            "date": json_date(self.date),
            "leadership_commitment": self.leadership_commitment,
            "realistic_timescale": self.realistic_timescale,
            "structural_barriers_addressed": self.structural_barriers_addressed,
            "succession_plan": self.succession_plan,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Diagnostic:
    """The diagnostic question: a decision reversed because of the community, at a cost."""

    costly_reversal: bool
    decisions: tuple[str, ...]  # keys of the decisions that satisfy it, in date order
    flags: tuple[DecisionFlags, ...] = ()  # every decision on or before as-of
    commissioning: CommissioningDiagnostics | None = None
    sentence: str = ""

    @property
    def answer(self) -> str:
        return "yes" if self.costly_reversal else "no"

    def to_json(self) -> JsonDict:
        """The contract keys {"costly_reversal", "decisions"} plus additions."""
        return {
            "costly_reversal": self.costly_reversal,
            "decisions": list(self.decisions),
            "answer": self.answer,
            "sentence": self.sentence,
            "decision_flags": [item.to_json() for item in self.flags],
            "commissioning": None if self.commissioning is None else self.commissioning.to_json(),
        }


CRITERIA = (
    "structural_change_in_force",
    "persisted_through_turnover",
    "practice_change",
    "costly_reversal",
)


@dataclass(frozen=True)
class Criteria:
    """The four criteria of the phase rule (product.md), each with the sentence behind it."""

    structural_change_in_force: bool
    persisted_through_turnover: bool
    practice_change: bool
    costly_reversal: bool
    reasons: tuple[tuple[str, str], ...] = ()  # (criterion, sentence)

    def to_json(self) -> JsonDict:
        """Exactly the four contract keys."""
        return {name: bool(getattr(self, name)) for name in CRITERIA}

    def reasons_json(self) -> JsonDict:
        return dict(self.reasons)


@dataclass(frozen=True)
class StageJudgement:
    """The evaluator's own implementation-stage judgement for a quarter."""

    period: str
    stage: str
    moved_backwards: bool = False
    note: str = ""

    def to_json(self) -> JsonDict:
        return {
            "period": self.period,
            "stage": self.stage,
            "moved_backwards": self.moved_backwards,
            "note": self.note,
        }


@dataclass(frozen=True)
class PhaseResult:
    """The phase of one institution as of a date, with its explanation and stages."""

    phase: str  # vocab.PHASES
    explanation: str
    criteria: Criteria
    suggested_stage: str  # vocab.STAGES
    suggested_stage_reason: str
    stage_history: tuple[StageJudgement, ...] = ()


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
