"""Every model covers exactly the rows it should, with prime implicants, and no smaller cover exists
(checked against a brute force over every implicant, on generated truth tables)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.analysis.qca.configurations import analyse_configurations
from tracker.analysis.qca.implicants import DONT_CARE, covers
from tracker.analysis.qca.solutions import QcaError
from tracker.analysis.qca.truth_table import row_values


@st.composite
def truth_tables(draw: st.DrawFn) -> tuple[int, list[str]]:
    k = draw(st.integers(min_value=1, max_value=4))
    outs = draw(st.lists(st.sampled_from("10?"), min_size=2**k, max_size=2**k))
    return k, outs


def case_table(k: int, outs: list[str]) -> pd.DataFrame:
    """One case per observed row: crisp memberships in that configuration, outcome as OUT."""
    records = {}
    for row, out in enumerate(outs, start=1):
        if out != "?":
            records[f"case{row}"] = [*row_values(row, k), 1.0 if out == "1" else 0.0]
    columns = [f"C{j}" for j in range(k)] + ["Y"]
    return pd.DataFrame.from_dict(records, orient="index", columns=columns, dtype=float)


def brute_force_minimum_covers(k: int, positives: set[int], allowed: set[int]) -> set[frozenset]:
    rows = {r: row_values(r, k) for r in range(1, 2**k + 1)}
    implicants = [
        imp
        for imp in itertools.product((0, 1, DONT_CARE), repeat=k)
        if all(r in allowed for r, v in rows.items() if covers(imp, v))
        and any(covers(imp, rows[r]) for r in positives)
    ]
    for size in range(1, len(implicants) + 1):
        found = {
            frozenset(combo)
            for combo in itertools.combinations(implicants, size)
            if all(any(covers(imp, rows[r]) for imp in combo) for r in positives)
        }
        if found:
            # keep only covers made of primes: a smallest cover using a non-prime implicant has
            # a twin with the prime containing it, and R reports the prime one
            return {cover for cover in found if all(_is_prime(imp, implicants) for imp in cover)}
    return set()


def _is_prime(imp: tuple[int, ...], valid: list[tuple[int, ...]]) -> bool:
    return not any(
        other != imp and all(o in (DONT_CARE, v) for o, v in zip(other, imp, strict=True))
        for other in valid
    )


@settings(max_examples=60, deadline=None)
@given(truth_tables())
def test_every_model_covers_exactly_the_positive_rows_and_none_is_smaller(table):
    k, outs = table
    positives = {r for r, out in enumerate(outs, start=1) if out == "1"}
    negatives = {r for r, out in enumerate(outs, start=1) if out == "0"}
    remainders = {r for r, out in enumerate(outs, start=1) if out == "?"}
    data = case_table(k, outs)
    conditions = [f"C{j}" for j in range(k)]
    for solution, allowed in (
        ("conservative", positives),
        ("parsimonious", positives | remainders),
    ):
        try:
            result = analyse_configurations(
                data, outcome="Y", conditions=conditions, solution=solution
            )
        except QcaError:
            # nothing to explain, or every row usable: every condition would be minimised away
            assert not positives or allowed == set(range(1, 2**k + 1))
            continue
        for model in result.solution.models:
            covered = {
                r
                for r in range(1, 2**k + 1)
                if any(covers(imp, row_values(r, k)) for imp in model.implicants)
            }
            assert positives <= covered
            assert covered <= allowed
            assert not covered & negatives
            if solution == "parsimonious":
                assumed = set(result.solution.simplifying_assumptions[model.name])
                assert assumed == covered - positives
                assert assumed <= remainders
        expected = brute_force_minimum_covers(k, positives, allowed)
        assert {frozenset(m.implicants) for m in result.solution.models} == expected


def test_memberships_of_exactly_half_belong_to_no_row_and_are_named():
    data = pd.DataFrame(
        {"A": [1.0, 0.5, 0.0], "B": [1.0, 1.0, 0.0], "Y": [1.0, 1.0, 0.0]},
        index=["kept", "halfway", "other"],
    )
    result = analyse_configurations(data, outcome="Y", conditions=["A", "B"])
    assert result.table.ambiguous_cases == ("halfway",)
    assert [(row.id, row.cases) for row in result.table.rows] == [(1, ("other",)), (4, ("kept",))]
    assert np.isclose(sum(row.n for row in result.table.rows), 2)
