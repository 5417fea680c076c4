"""The truth table: every configuration of the conditions, with the cases in it and its consistency.

Rows are numbered as R's QCA package numbers them: the configuration read as a binary number (the
first condition the most significant digit, the last the fastest), plus one. A case belongs to the
row where its membership is above 0.5; a case with a membership of exactly 0.5 in some condition
belongs to no row and is named as ambiguous. A row's consistency uses every case's (fuzzy)
membership in the configuration, the minimum over the conditions of X or 1 − X:

- ``incl`` = Σ min(X, Y) / Σ X
- ``PRI``  = (Σ min(X, Y) − Σ min(X, Y, 1 − Y)) / (Σ X − Σ min(X, Y, 1 − Y))

``OUT`` is 1 when incl reaches the inclusion cut-off, 0 below it; with two cut-offs (``0.8,0.6``)
a row between them is a contradiction ``C``. A row with fewer cases than ``n_cut`` is a remainder
``?`` like an unobserved one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Cut-offs are compared with a little slack, as R's QCA does (`agteb`): 0.8 typed by a person
# must admit a consistency of 0.8 that floating point computed as 0.79999999999.
CUT_TOLERANCE = 1e-9


# Cases per block when every case's membership in every observed row is computed at once
# (block × rows floats: 4,096 × 1,024 × 8 bytes = 32 MiB at 10 conditions).
CASE_BLOCK = 4096


@dataclass(frozen=True)
class TruthTableRow:
    id: int
    values: tuple[int, ...]
    out: str
    n: int
    incl: float
    pri: float
    cases: tuple[str, ...]


@dataclass(frozen=True)
class TruthTable:
    conditions: tuple[str, ...]
    outcome: str
    rows: tuple[TruthTableRow, ...]
    ambiguous_cases: tuple[str, ...]
    incl_cut: tuple[float, float]
    n_cut: int

    @property
    def size(self) -> int:
        return 2 ** len(self.conditions)

    def ids_with(self, out: str) -> list[int]:
        return [row.id for row in self.rows if row.out == out]

    def off_ids(self) -> set[int]:
        """Observed rows that must not be explained: OUT 0 and contradictions."""
        return {row.id for row in self.rows if row.out in ("0", "C")}

    def remainder_ids(self) -> list[int]:
        """Every configuration without enough cases: unobserved, or fewer than ``n_cut``."""
        decided = {row.id for row in self.rows if row.out != "?"}
        return [i for i in range(1, self.size + 1) if i not in decided]


def row_values(row_id: int, k: int) -> tuple[int, ...]:
    """The configuration (0/1 per condition) of a row id (1-based, last condition fastest)."""
    index = row_id - 1
    return tuple((index >> (k - 1 - j)) & 1 for j in range(k))


def consistency(member: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(incl, PRI) of a set with memberships ``member`` as a subset of the outcome ``y``."""
    both = np.minimum(member, y)
    sum_x = float(member.sum())
    sum_xy = float(both.sum())
    sum_xyy = float(np.minimum(both, 1.0 - y).sum())
    incl = sum_xy / sum_x if sum_x > 0 else float("nan")
    denominator = sum_x - sum_xyy
    pri = (sum_xy - sum_xyy) / denominator if denominator > 0 else float("nan")
    return incl, pri


def row_sums(
    x: np.ndarray, y: np.ndarray, row_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Σ X, Σ min(X, Y), Σ min(X, Y, 1 − Y) for each row's configuration membership X.

    A case's membership in a configuration is the minimum over conditions of X or 1 − X; the
    side matching the case's own configuration is at least 0.5 and the other at most 0.5, so it
    depends only on the conditions where the configuration differs from the case's own: the
    minimum of the smaller sides there (of the larger sides when none differs). Those minima
    for every set of differing conditions are built by doubling, one condition at a time, then
    each row picks its set by XOR, so all rows cost a few array passes instead of one each.
    """
    n, k = x.shape
    low = np.minimum(x, 1.0 - x)
    high = np.maximum(x, 1.0 - x)
    weights = 1 << np.arange(k - 1, -1, -1)
    own = (x > 0.5).astype(np.int64) @ weights
    targets = row_ids.astype(np.int64) - 1
    sum_x = np.zeros(len(targets))
    sum_xy = np.zeros(len(targets))
    sum_xyy = np.zeros(len(targets))
    for start in range(0, n, CASE_BLOCK):
        block = slice(start, start + CASE_BLOCK)
        by_difference = high[block].min(axis=1, keepdims=True)
        for bit in range(k):
            condition = k - 1 - bit
            smaller = np.minimum(by_difference, low[block, condition : condition + 1])
            by_difference = np.concatenate([by_difference, smaller], axis=1)
        member = np.take_along_axis(by_difference, own[block, None] ^ targets[None, :], axis=1)
        outcome = y[block, None]
        both = np.minimum(member, outcome)
        sum_x += member.sum(axis=0)
        sum_xy += both.sum(axis=0)
        sum_xyy += np.minimum(both, 1.0 - outcome).sum(axis=0)
    return sum_x, sum_xy, sum_xyy


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


def build_truth_table(
    x: np.ndarray,
    y: np.ndarray,
    *,
    cases: list[str],
    conditions: tuple[str, ...],
    outcome: str,
    incl_cut: tuple[float, float] = (1.0, 1.0),
    n_cut: int = 1,
) -> TruthTable:
    """The observed rows of the truth table of ``x`` (cases × conditions) for outcome ``y``."""
    k = len(conditions)
    ambiguous = (x == 0.5).any(axis=1)
    weights = 1 << np.arange(k - 1, -1, -1)
    ids = (x > 0.5).astype(np.int64) @ weights + 1
    ids[ambiguous] = 0
    case_array = np.asarray(cases, dtype=object)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    observed, starts = np.unique(sorted_ids, return_index=True)
    bounds = [*starts[1:], len(sorted_ids)] if len(starts) else []
    one_cut, zero_cut = incl_cut
    sums = row_sums(x, y, observed[observed > 0])
    rows = []
    position = 0
    for row_id, start, stop in zip(observed, starts, bounds, strict=True):
        if row_id == 0:
            continue
        values = row_values(int(row_id), k)
        sum_x, sum_xy, sum_xyy = (float(total[position]) for total in sums)
        position += 1
        incl = _ratio(sum_xy, sum_x)
        pri = _ratio(sum_xy - sum_xyy, sum_x - sum_xyy)
        n = int(stop - start)
        if n < n_cut:
            out = "?"
        elif incl >= one_cut - CUT_TOLERANCE:
            out = "1"
        elif incl < zero_cut - CUT_TOLERANCE:
            out = "0"
        else:
            out = "C"
        members = tuple(str(c) for c in case_array[np.sort(order[start:stop])])
        rows.append(TruthTableRow(int(row_id), values, out, n, incl, pri, members))
    return TruthTable(
        conditions=conditions,
        outcome=outcome,
        rows=tuple(rows),
        ambiguous_cases=tuple(str(c) for c in case_array[ambiguous]),
        incl_cut=incl_cut,
        n_cut=n_cut,
    )
