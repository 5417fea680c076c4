"""The three solutions of a truth table, as R's QCA derives them.

- **conservative** (complex): the rows with OUT 1 minimised among themselves; no remainder used.
- **parsimonious**: remainders (``?`` rows) may be used as don't-cares; the remainders a model
  covers are its *simplifying assumptions*.
- **intermediate**: only the *easy counterfactuals* are used: for each conservative model C and
  parsimonious model P, a conservative term keeps a literal the parsimonious term dropped when the
  literal agrees with the directional expectation for its condition (or there is none) and loses
  it when it contradicts it; the simplifying assumptions of P that such a shortened term covers
  are the easy counterfactuals, and the rows with OUT 1 are minimised again with them. Each pair
  gives its models, named by the pair (``C1P1``).

Rows with OUT 0 and contradictions (``C``) are never covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.analysis.qca.implicants import (
    DONT_CARE,
    Implicant,
    covers,
    minimal_covers,
    prime_implicants,
)
from tracker.analysis.qca.truth_table import TruthTable, row_values

SOLUTION_KINDS = ("conservative", "parsimonious", "intermediate")


class QcaError(ValueError):
    """A truth table or request that cannot be minimised, with the reason."""


@dataclass(frozen=True)
class Model:
    """One minimal cover: its terms in R's printing order (essential terms first)."""

    name: str
    implicants: tuple[Implicant, ...]
    origin: str = ""


@dataclass(frozen=True)
class Solution:
    kind: str
    models: tuple[Model, ...]
    essential: tuple[Implicant, ...]
    # model name -> row ids: remainders a parsimonious model assumes; for the intermediate
    # solution (keyed by origin, e.g. "C1P1") the easy counterfactuals it used.
    simplifying_assumptions: dict[str, tuple[int, ...]]


def conservative(table: TruthTable) -> Solution:
    positives = _positives(table)
    models, essential = _solve(table, positives, positives, "")
    return Solution("conservative", models, essential, {})


def parsimonious(table: TruthTable) -> Solution:
    positives = _positives(table)
    if not table.off_ids():
        raise QcaError(
            "every observed configuration has OUT 1: with the remainders as don't-cares every "
            "condition is minimised away; there is nothing to contrast the outcome with"
        )
    allowed = positives + table.remainder_ids()
    models, essential = _solve(table, positives, allowed, "")
    assumptions = {
        model.name: _covered_remainders(table, model.implicants, positives) for model in models
    }
    return Solution("parsimonious", models, essential, assumptions)


def intermediate(
    table: TruthTable,
    expectations: Sequence[int | None],
    *,
    conservative_solution: Solution | None = None,
    parsimonious_solution: Solution | None = None,
) -> Solution:
    """``expectations``: per condition 1 (its presence expected to go with the outcome), 0 (its
    absence), or None (no expectation)."""
    positives = _positives(table)
    c_sol = conservative_solution or conservative(table)
    p_sol = parsimonious_solution or parsimonious(table)
    models: list[Model] = []
    essential: tuple[Implicant, ...] = ()
    easy: dict[str, tuple[int, ...]] = {}
    for ci, c_model in enumerate(c_sol.models, start=1):
        for pi, p_model in enumerate(p_sol.models, start=1):
            origin = f"C{ci}P{pi}"
            shortened = _easy_terms(c_model.implicants, p_model.implicants, expectations)
            assumptions = p_sol.simplifying_assumptions[p_model.name]
            k = len(table.conditions)
            counterfactuals = tuple(
                row
                for row in assumptions
                if any(covers(term, row_values(row, k)) for term in shortened)
            )
            easy[origin] = counterfactuals
            found, essential = _solve(table, positives, positives + list(counterfactuals), origin)
            models.extend(found)
    return Solution("intermediate", tuple(models), essential, easy)


def _easy_terms(
    complex_terms: Sequence[Implicant],
    parsimonious_terms: Sequence[Implicant],
    expectations: Sequence[int | None],
) -> list[Implicant]:
    shortened = []
    for comp in complex_terms:
        for pars in parsimonious_terms:
            if not all(p in (DONT_CARE, c) for p, c in zip(pars, comp, strict=True)):
                continue
            shortened.append(
                tuple(
                    DONT_CARE
                    if c != DONT_CARE
                    and p == DONT_CARE
                    and expected is not None
                    and expected != c
                    else c
                    for c, p, expected in zip(comp, pars, expectations, strict=True)
                )
            )
    return shortened


def _positives(table: TruthTable) -> list[int]:
    positives = table.ids_with("1")
    if not positives:
        raise QcaError(
            "nothing to explain: no row of the truth table reaches the inclusion cut-off "
            f"{table.incl_cut[0]:g} with at least {table.n_cut} case(s)"
        )
    return positives


def _solve(
    table: TruthTable, positives: list[int], allowed: list[int], origin: str
) -> tuple[tuple[Model, ...], tuple[Implicant, ...]]:
    k = len(table.conditions)
    primes = prime_implicants(k, positives, allowed)
    if any(all(v == DONT_CARE for v in prime) for prime in primes):
        raise QcaError(
            "every condition is minimised away: the outcome's rows and the usable remainders "
            "fill the whole truth table"
        )
    configurations = [row_values(row, k) for row in positives]
    chart = [
        sum(1 << c for c, values in enumerate(configurations) if covers(prime, values))
        for prime in primes
    ]
    covers_found = minimal_covers(chart, len(positives))
    in_every = set.intersection(*(set(cover) for cover in covers_found))
    essential = tuple(primes[i] for i in sorted(in_every))
    models = []
    for number, cover in enumerate(covers_found, start=1):
        ordered = sorted(cover, key=lambda i: (i not in in_every, i))
        models.append(Model(f"M{number}", tuple(primes[i] for i in ordered), origin))
    return tuple(models), essential


def _covered_remainders(
    table: TruthTable, implicants: Sequence[Implicant], positives: list[int]
) -> tuple[int, ...]:
    k = len(table.conditions)
    explained = set(positives)
    return tuple(
        row
        for row in range(1, table.size + 1)
        if row not in explained and any(covers(imp, row_values(row, k)) for imp in implicants)
    )

