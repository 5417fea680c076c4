"""What the analysis says about an institution's phase: the criteria behind it, the
diagnostic of its decisions and commissioning, and the suggested stage over time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.analysis.json_values import JsonDict, json_date


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
