"""Parameters of fit: how consistently a term or model is a subset of the outcome (sufficiency),
how much of the outcome it covers, and the same for necessity.

Sufficiency, for a set X (a term, or a model: the maximum over its terms) and outcome Y:

- ``inclS`` = Σ min(X, Y) / Σ X;  ``PRI`` as for a truth table row
- ``covS``  = Σ min(X, Y) / Σ Y
- ``covU``  (a term within a model) = covS of the model − covS of the model without the term

Necessity, for a condition or its negation X: ``inclN`` = Σ min(X, Y) / Σ Y, ``covN`` = Σ min(X, Y)
/ Σ X, and relevance ``RoN`` = Σ (1 − X) / Σ (1 − min(X, Y)) (Schneider & Wagemann 2012).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tracker.analysis.qca.implicants import DONT_CARE, Implicant
from tracker.analysis.qca.truth_table import consistency


@dataclass(frozen=True)
class Fit:
    incl_s: float
    pri: float
    cov_s: float


@dataclass(frozen=True)
class Necessity:
    condition: str
    incl_n: float
    ron: float
    cov_n: float


def term_membership(x: np.ndarray, implicant: Implicant) -> np.ndarray:
    """Each case's membership in a term: min over its literals of X or 1 − X."""
    columns = [j for j, v in enumerate(implicant) if v != DONT_CARE]
    if not columns:
        return np.ones(x.shape[0])
    present = np.asarray([implicant[j] == 1 for j in columns])
    chosen = np.where(present, x[:, columns], 1.0 - x[:, columns])
    return np.asarray(chosen.min(axis=1))


def sufficiency(member: np.ndarray, y: np.ndarray) -> Fit:
    incl, pri = consistency(member, y)
    total_y = float(y.sum())
    cov = float(np.minimum(member, y).sum()) / total_y if total_y > 0 else float("nan")
    return Fit(incl, pri, cov)


def unique_coverages(members: Sequence[np.ndarray], y: np.ndarray) -> list[float]:
    """covU of each term: the model's coverage less the coverage of the other terms."""
    total_y = float(y.sum())
    if total_y == 0:
        return [float("nan")] * len(members)
    stacked = np.vstack(members)
    whole = float(np.minimum(stacked.max(axis=0), y).sum())
    unique = []
    for i in range(len(members)):
        others = np.delete(stacked, i, axis=0)
        rest = float(np.minimum(others.max(axis=0), y).sum()) if len(others) else 0.0
        unique.append((whole - rest) / total_y)
    return unique


def necessity(x: np.ndarray, y: np.ndarray, conditions: Sequence[str]) -> list[Necessity]:
    """inclN, RoN, covN of every condition and then of every negated condition."""
    results = []
    total_y = float(y.sum())
    for negated in (False, True):
        for j, name in enumerate(conditions):
            member = 1.0 - x[:, j] if negated else x[:, j]
            both = np.minimum(member, y)
            sum_both = float(both.sum())
            sum_x = float(member.sum())
            incl = sum_both / total_y if total_y > 0 else float("nan")
            cov = sum_both / sum_x if sum_x > 0 else float("nan")
            not_both = float((1.0 - both).sum())
            ron = float((1.0 - member).sum()) / not_both if not_both > 0 else float("nan")
            results.append(Necessity(f"~{name}" if negated else name, incl, ron, cov))
    return results
