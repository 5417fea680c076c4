"""Turn the analysis frames into one `InstitutionResult` per institution.

The rules live in the modules that build the frames; this only regroups their rows into the
frozen dataclasses of `results`. Rows are bucketed by institution in one pass per frame (a
sub-frame per institution would cost far more at national scale).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.analysis.diagnostic import COMMISSIONING_QUESTIONS, missing_flags
from tracker.analysis.indicator_text import (
    compared_quarters,
    indicator_rule,
    indicator_test_reason,
    practice_reason,
)
from tracker.analysis.params import Parameters
from tracker.analysis.results import (
    ChangeResult,
    ChangeTest,
    CommissioningDiagnostics,
    Criteria,
    DecisionFlags,
    Diagnostic,
    IndicatorResult,
    IndicatorTest,
    InstitutionResult,
    ItsEstimate,
    PhaseResult,
    PracticeChange,
    StageJudgement,
    TurnoverRef,
    to_date,
)
from tracker.periods import period_of

Row = Mapping[Hashable, Any]
TurnoverKey = tuple[Any, ...]
ItsKey = tuple[Any, ...]


@dataclass(frozen=True)
class Frames:
    """The frames `analyse` computed, as input to `institution_results`."""

    as_of: pd.Series
    turnovers: pd.DataFrame
    change_tests: pd.DataFrame
    changes: pd.DataFrame
    indicator_tests: pd.DataFrame
    practice: pd.DataFrame
    phases: pd.DataFrame
    decisions: pd.DataFrame
    answers: pd.DataFrame
    commissioning: pd.DataFrame
    stage_history: pd.DataFrame
    indicator_names: Mapping[str, str]
    params: Parameters


def _records(frame: pd.DataFrame) -> list[Row]:
    """The rows of `frame` as dicts, dates as `datetime.date` (None when missing).

    Faster than `to_dict("records")`: numpy turns a whole date column into `date`s at once,
    where pandas would box every value as a `Timestamp` first.
    """
    columns: list[list[Any]] = []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            columns.append(values.to_numpy().astype("datetime64[D]").tolist())
        else:
            columns.append(values.tolist())
    names = list(frame.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _by_institution(frame: pd.DataFrame) -> dict[str, list[Row]]:
    buckets: dict[str, list[Row]] = defaultdict(list)
    for row in _records(frame):
        buckets[str(row["institution"])].append(row)
    return buckets


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _flag(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def turnover_key(row: Row, *, prefix: str = "") -> TurnoverKey:
    """The identity of a turnover in a row of `turnovers` (prefix "turnover_" elsewhere)."""
    kind = row["kind"] if not prefix else row["turnover_kind"]
    date = row["date"] if not prefix else row["turnover_date"]
    return (row["institution"], kind, _text(row["role"]), _text(row["partner"]), to_date(date))


def its_key(row: Row) -> ItsKey:
    """The key of a segmented regression: an indicator test's institution, indicator, turnover."""
    return (row["institution"], row["indicator"], *turnover_key(row, prefix="turnover_")[1:])


def _turnover(row: Row, params: Parameters) -> TurnoverRef:
    date = to_date(row["date"])
    assert date is not None  # a turnover always has a date
    return TurnoverRef(
        kind=str(row["kind"]),
        date=date,
        role=_text(row["role"]),
        partner=_text(row["partner"]),
        outgoing=_text(row["outgoing"]),
        incoming=_text(row["incoming"]),
        reason=str(row["reason"]),
        indicator_quarters=compared_quarters(period_of(date), params),
    )


def _change_test(row: Row, turnover: TurnoverRef) -> ChangeTest:
    window_end = to_date(row["window_end"])
    assert window_end is not None
    return ChangeTest(
        turnover=turnover,
        verdict=str(row["verdict"]),
        window_end=window_end,
        reason=str(row["reason"]),
        weakened=bool(row["weakened"]),
        decided_by_date=to_date(row["decided_by_date"]),
        decided_by_status=_text(row["decided_by_status"]),
    )


def _change(row: Row, tests: list[ChangeTest]) -> ChangeResult:
    adopted = to_date(row["adopted"])
    assert adopted is not None
    return ChangeResult(
        change=str(row["change"]),
        title=str(row["title"]),
        kind=str(row["kind"]),
        adopted=adopted,
        status=str(row["status"]),
        summary=str(row["summary"]),
        summary_reason=str(row["summary_reason"]),
        tests=tuple(tests),
        chain_link=_text(row["chain_link"]),
        culture_level=_text(row["culture_level"]),
    )


def _indicator_test(
    row: Row, turnover: TurnoverRef, its: ItsEstimate | None, params: Parameters
) -> IndicatorTest:
    return IndicatorTest(
        turnover=turnover,
        verdict=str(row["verdict"]),
        pre_mean=_number(row["pre_mean"]),
        post_mean=_number(row["post_mean"]),
        n_pre=int(row["n_pre"]),
        n_post=int(row["n_post"]),
        change=_number(row["change"]),
        threshold=_number(row["threshold"]),
        # `analyse` leaves the sentence to be rendered here, for the tests actually shown.
        reason=str(row.get("reason") or indicator_test_reason(row, params)),
        its=its,
    )


def _indicator(
    row: Row,
    tests: Mapping[str, list[IndicatorTest]],
    names: Mapping[str, str],
    params: Parameters,
) -> IndicatorResult:
    key = str(row["indicator"])
    higher = bool(row["higher_is_better"])
    return IndicatorResult(
        indicator=key,
        name=names.get(key, key),
        higher_is_better=higher,
        tests=tuple(tests.get(key, [])),
        rule=indicator_rule(
            higher_is_better=higher, tolerance=_number(row["tolerance"]), params=params
        ),
    )


def _practice(row: Row, params: Parameters) -> PracticeChange:
    return PracticeChange(
        indicator=str(row["indicator"]),
        improved=bool(row["improved"]),
        early_mean=_number(row["early_mean"]),
        late_mean=_number(row["late_mean"]),
        n_early=int(row["n_early"]),
        n_late=int(row["n_late"]),
        reason=str(row.get("reason") or practice_reason(row, params)),
    )


def _decision(row: Row) -> DecisionFlags:
    date = to_date(row["date"])
    assert date is not None
    return DecisionFlags(
        decision=str(row["decision"]),
        date=date,
        title=str(row["title"]),
        missing=missing_flags(str(row["missing"])),
    )


def _commissioning(rows: list[Row]) -> CommissioningDiagnostics | None:
    if not rows:
        return None
    row = rows[-1]
    date = to_date(row["date"])
    assert date is not None
    answers = {name: _flag(row[name]) for name in COMMISSIONING_QUESTIONS}
    return CommissioningDiagnostics(date=date, notes=_text(row["notes"]), **answers)


def _phase(row: Row, history: list[Row]) -> PhaseResult:
    criteria = Criteria(
        structural_change_in_force=bool(row["structural_change_in_force"]),
        persisted_through_turnover=bool(row["persisted_through_turnover"]),
        practice_change=bool(row["practice_change"]),
        costly_reversal=bool(row["costly_reversal"]),
        reasons=tuple(
            (name, str(row[f"{name}_reason"]))
            for name in (
                "structural_change_in_force",
                "persisted_through_turnover",
                "practice_change",
                "costly_reversal",
            )
        ),
    )
    return PhaseResult(
        phase=str(row["phase"]),
        explanation=str(row["explanation"]),
        criteria=criteria,
        suggested_stage=str(row["suggested_stage"]),
        suggested_stage_reason=str(row["suggested_stage_reason"]),
        stage_history=tuple(
            StageJudgement(
                period=str(item["period"]),
                stage=str(item["stage"]),
                moved_backwards=bool(item["moved_backwards"]),
                note=str(item["note"]),
            )
            for item in history
        ),
    )


_PER_INSTITUTION = (
    "turnovers",
    "change_tests",
    "changes",
    "indicator_tests",
    "practice",
    "phases",
    "answers",
    "decisions",
    "commissioning",
    "stage_history",
)


def _institution(
    key: str,
    rows: Mapping[str, list[Row]],
    frames: Frames,
    its: Mapping[ItsKey, ItsEstimate],
) -> InstitutionResult:
    """One institution's result from its rows of every frame (`_PER_INSTITUTION`)."""
    refs = {turnover_key(row): _turnover(row, frames.params) for row in rows["turnovers"]}
    tests_of: dict[str, list[ChangeTest]] = defaultdict(list)
    for row in rows["change_tests"]:
        ref = refs[turnover_key(row, prefix="turnover_")]
        tests_of[str(row["change"])].append(_change_test(row, ref))
    by_indicator: dict[str, list[IndicatorTest]] = defaultdict(list)
    for row in rows["indicator_tests"]:
        ref = refs[turnover_key(row, prefix="turnover_")]
        estimate = its.get(its_key(row))
        test = _indicator_test(row, ref, estimate, frames.params)
        by_indicator[str(row["indicator"])].append(test)
    answer = rows["answers"][0]
    return InstitutionResult(
        institution=key,
        as_of=to_date(frames.as_of[key]),
        phase=_phase(rows["phases"][0], rows["stage_history"]),
        diagnostic=Diagnostic(
            costly_reversal=bool(answer["costly_reversal"]),
            decisions=tuple(answer["decisions"]),
            flags=tuple(_decision(row) for row in rows["decisions"]),
            commissioning=_commissioning(rows["commissioning"]),
            sentence=str(answer["sentence"]),
        ),
        turnovers=tuple(refs.values()),
        changes=tuple(
            _change(row, tests_of.get(str(row["change"]), [])) for row in rows["changes"]
        ),
        # Every indicator with a value by the as-of date, tested or not.
        indicators=tuple(
            _indicator(row, by_indicator, frames.indicator_names, frames.params)
            for row in rows["practice"]
        ),
        practice=tuple(_practice(row, frames.params) for row in rows["practice"]),
    )


class InstitutionAssembler:
    """Builds `InstitutionResult`s from the frames on demand (see `AnalysisResult`).

    At national scale most callers read the frames only; the objects are built when a caller
    asks for one institution (`one`) or for all of them (`every`, e.g. for the JSON output).
    """

    def __init__(self, frames: Frames, its: Mapping[ItsKey, ItsEstimate] | None = None) -> None:
        self.frames = frames
        self.its: Mapping[ItsKey, ItsEstimate] = its or {}

    def keys(self) -> list[str]:
        """The institutions analysed, sorted."""
        return sorted(map(str, self.frames.as_of.index))

    def one(self, key: str) -> InstitutionResult:
        """One institution's result; KeyError when it was not analysed."""
        if key not in self.frames.as_of.index:
            raise KeyError(f"institution {key!r} is not in this analysis")
        rows: dict[str, list[Row]] = {}
        for name in _PER_INSTITUTION:
            frame: pd.DataFrame = getattr(self.frames, name)
            rows[name] = _records(frame[frame["institution"] == key])
        return _institution(key, rows, self.frames, self.its)

    def every(self) -> tuple[InstitutionResult, ...]:
        """Every institution's result, sorted by key."""
        return tuple(self.each())

    def each(self) -> Iterator[InstitutionResult]:
        """Every institution's result, sorted by key, built one at a time (none is kept)."""
        buckets = {name: _by_institution(getattr(self.frames, name)) for name in _PER_INSTITUTION}
        for key in self.keys():
            rows = {name: buckets[name].pop(key, []) for name in buckets}
            yield _institution(key, rows, self.frames, self.its)
