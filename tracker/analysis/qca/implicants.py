"""Boolean minimisation: prime implicants and every minimal cover of the prime implicant chart.

An implicant is a tuple with one entry per condition: 1 (present), 0 (absent) or ``DONT_CARE``
(minimised away). The prime implicants are found as Quine and McCluskey define them (an implicant
of the allowed rows that no implicant with one literal fewer contains), computed over the whole
3^k lattice of implicants at once: an implicant is allowed when both halves it merges are, so one
pass per condition settles them all. This is exact and takes milliseconds up to 10 conditions.

The chart is then solved exactly: the smallest number of prime implicants that together cover
every row to be explained, and *every* cover of that size (tied models are all reported, as R's
QCA does with M1, M2, …).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

DONT_CARE = 2
Implicant = tuple[int, ...]


def prime_implicants(k: int, on: Iterable[int], allowed: Iterable[int]) -> list[Implicant]:
    """Prime implicants of the rows ``allowed`` (ids, 1-based) that cover a row of ``on``.

    ``allowed`` holds the rows to explain and the rows that may be used to simplify (remainders
    as don't-cares, or easy counterfactuals); every other row must stay uncovered.
    """
    size = 2**k
    allowed_mask = np.zeros(size, dtype=bool)
    on_mask = np.zeros(size, dtype=bool)
    allowed_mask[[i - 1 for i in allowed]] = True
    on_mask[[i - 1 for i in on]] = True
    allowed_mask |= on_mask
    # Axis j of these arrays is condition j; index 0 absent, 1 present, 2 don't care.
    valid = allowed_mask.reshape((2,) * k)
    touches_on = on_mask.reshape((2,) * k)
    for axis in range(k):
        valid = np.concatenate([valid, valid.all(axis=axis, keepdims=True)], axis=axis)
        touches_on = np.concatenate(
            [touches_on, touches_on.any(axis=axis, keepdims=True)], axis=axis
        )
    prime = valid & touches_on
    for axis in range(k):
        # A literal on this condition is redundant when the implicant without it is allowed.
        without = np.take(valid, [DONT_CARE], axis=axis)
        specified = np.zeros((3,) + (1,) * (k - 1), dtype=bool)
        specified[:2] = True
        specified = np.moveaxis(specified, 0, axis)
        prime &= ~(without & specified)
    return chart_order([tuple(int(v) for v in found) for found in np.argwhere(prime)])


def chart_order(implicants: Sequence[Implicant]) -> list[Implicant]:
    """The prime implicants in the order R's QCA lists them (and so prints a model's terms).

    R sorts condition by condition from the last to the first, coding a condition 0 when
    minimised, 1 when absent, 2 when present: descending, then the leading specified ones back
    into ascending order, and finally by the number of literals. Its C routine leaves the last
    implicant out of the ascending pass when every implicant specifies the condition; that is
    kept, so tied and multi-term models print in R's order.
    """
    codes = [tuple(0 if v == DONT_CARE else v + 1 for v in imp) for imp in implicants]
    order = list(range(len(codes)))
    k = len(codes[0]) if codes else 0
    for column in reversed(range(k)):
        order.sort(key=lambda i: -codes[i][column])
        specified = 0
        while specified < len(order) and codes[order[specified]][column] != 0:
            specified += 1
        if specified == len(order):
            specified -= 1
        order[:specified] = sorted(order[:specified], key=lambda i: codes[i][column])
    order.sort(key=lambda i: sum(c != 0 for c in codes[i]))
    return [implicants[i] for i in order]


def covers(implicant: Implicant, values: Sequence[int]) -> bool:
    return all(v in (DONT_CARE, w) for v, w in zip(implicant, values, strict=True))


def minimal_covers(chart: Sequence[int], columns: int) -> list[tuple[int, ...]]:
    """Every smallest set of chart rows covering all ``columns``, sorted; each sorted.

    ``chart[i]`` is the bit mask of the columns prime implicant ``i`` covers. Iterative
    deepening over the column covered by the fewest implicants: every cover must contain one of
    them, so no cover of the minimum size is missed.
    """
    full = (1 << columns) - 1
    if columns == 0:
        return [()]
    if _union(chart) != full:
        return []
    by_column = [[i for i, mask in enumerate(chart) if (mask >> c) & 1] for c in range(columns)]
    for size in range(1, len(chart) + 1):
        found: set[tuple[int, ...]] = set()
        _search(chart, by_column, full, 0, (), size, found)
        if found:
            return sorted(found)
    return []


def _union(chart: Sequence[int]) -> int:
    total = 0
    for mask in chart:
        total |= mask
    return total


def _search(
    chart: Sequence[int],
    by_column: list[list[int]],
    full: int,
    covered: int,
    chosen: tuple[int, ...],
    size: int,
    found: set[tuple[int, ...]],
) -> None:
    if covered == full:
        found.add(tuple(sorted(chosen)))
        return
    if len(chosen) == size:
        return
    uncovered = full & ~covered
    column = min(
        (c for c in range(len(by_column)) if (uncovered >> c) & 1),
        key=lambda c: len(by_column[c]),
    )
    for row in by_column[column]:
        if row not in chosen:
            _search(chart, by_column, full, covered | chart[row], (*chosen, row), size, found)
