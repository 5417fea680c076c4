"""Calibration: raw values into set memberships (crisp, fuzzy by the direct method, or given).

A rule is written the way an evaluator says it:

- crisp: ``DEV>=550`` (1 when the value is at least 550, else 0); also ``>``, ``<``, ``<=``.
  ``STB<10`` makes a set whose members have *fewer* than 10 cabinets.
- fuzzy, direct method (Ragin 2008, ch. 5): ``DEV=400,550,900`` names the three anchors in the
  order full exclusion, crossover, full inclusion. The log-odds of membership are −3, 0 and +3 at
  the anchors and linear in the value between (and beyond) them, so a value at the inclusion
  anchor has membership 0.953 and one at the crossover 0.5. Anchors given in decreasing order
  (``STB=10,7,4``) make a decreasing set. ``inclusion_log_odds`` changes the ±3 (R's
  ``calibrate()`` uses log(0.95/0.05) ≈ 2.944 by default).
- no rule: the column is already a membership (0 to 1).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

RAGIN_LOG_ODDS = 3.0
_CRISP = re.compile(r"^\s*([^<>=]+?)\s*(>=|<=|>|<)\s*([-+0-9.eE]+)\s*$")
_NUMBER = r"\s*([-+0-9.eE]+)\s*"
_FUZZY = re.compile(rf"^\s*([^<>=]+?)\s*={_NUMBER},{_NUMBER},{_NUMBER}$")


class CalibrationError(ValueError):
    """A rule that cannot be read, or anchors that do not make a set."""


@dataclass(frozen=True)
class CrispRule:
    column: str
    operator: str
    threshold: float

    def describe(self) -> str:
        return f"{self.column}{self.operator}{self.threshold:g}"


@dataclass(frozen=True)
class FuzzyRule:
    column: str
    exclusion: float
    crossover: float
    inclusion: float

    def describe(self) -> str:
        return f"{self.column}={self.exclusion:g},{self.crossover:g},{self.inclusion:g}"


Rule = CrispRule | FuzzyRule


def parse_rule(text: str) -> Rule:
    """Read ``A>=550`` (crisp) or ``B=2,7,9.5`` (fuzzy anchors: exclusion, crossover, inclusion)."""
    crisp = _CRISP.match(text)
    if crisp:
        return CrispRule(crisp.group(1), crisp.group(2), _number(crisp.group(3), text))
    fuzzy = _FUZZY.match(text)
    if fuzzy:
        exclusion, crossover, inclusion = (_number(fuzzy.group(i), text) for i in (2, 3, 4))
        increasing = exclusion < crossover < inclusion
        decreasing = exclusion > crossover > inclusion
        if not (increasing or decreasing):
            raise CalibrationError(
                f"calibration {text!r}: the crossover must lie strictly between the exclusion "
                "and inclusion anchors"
            )
        return FuzzyRule(fuzzy.group(1), exclusion, crossover, inclusion)
    raise CalibrationError(
        f"calibration {text!r} is not understood: write 'COL>=value' (crisp; also >, <, <=) or "
        "'COL=exclusion,crossover,inclusion' (fuzzy)"
    )


def _number(text: str, rule: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CalibrationError(f"calibration {rule!r}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise CalibrationError(f"calibration {rule!r}: {text!r} is not a finite number")
    return value


def calibrate(
    values: np.ndarray, rule: Rule, *, inclusion_log_odds: float = RAGIN_LOG_ODDS
) -> np.ndarray:
    """Memberships (0 to 1) for raw ``values`` under ``rule``."""
    x = np.asarray(values, dtype=float)
    if isinstance(rule, CrispRule):
        compare = {">=": np.greater_equal, ">": np.greater, "<": np.less, "<=": np.less_equal}
        return compare[rule.operator](x, rule.threshold).astype(float)
    return direct_fuzzy(
        x, rule.exclusion, rule.crossover, rule.inclusion, inclusion_log_odds=inclusion_log_odds
    )


def direct_fuzzy(
    values: np.ndarray,
    exclusion: float,
    crossover: float,
    inclusion: float,
    *,
    inclusion_log_odds: float = RAGIN_LOG_ODDS,
) -> np.ndarray:
    """Ragin's direct method: log-odds −L, 0, +L at the three anchors, linear between."""
    x = np.asarray(values, dtype=float)
    # Distance from the crossover in units of the anchor on the same side; a decreasing set
    # (inclusion below the crossover) flips the sign, so the formula serves both directions.
    above_scale = inclusion - crossover
    below_scale = crossover - exclusion
    toward_inclusion = (x - crossover) * np.sign(above_scale)
    scale = np.where(toward_inclusion >= 0, abs(above_scale), abs(below_scale))
    log_odds = inclusion_log_odds * toward_inclusion / scale
    return 1.0 / (1.0 + np.exp(-log_odds))
