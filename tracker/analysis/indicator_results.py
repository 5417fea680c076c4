"""What the analysis says about indicators: each turnover's test of an indicator, the
interrupted time series estimate, and changes of practice.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.analysis.change_results import TurnoverRef
from tracker.analysis.json_values import JsonDict, json_number


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
