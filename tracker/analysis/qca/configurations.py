"""One QCA run on a case table: truth table, the chosen solution with its fit, and necessity.

Pure: a frame of memberships in (one row per case, the index naming the cases), a result out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tracker.analysis.qca.fit import (
    Necessity,
    necessity,
    sufficiency,
    term_membership,
    unique_coverages,
)
from tracker.analysis.qca.implicants import Implicant, covers
from tracker.analysis.qca.notation import model_text, term_text
from tracker.analysis.qca.solutions import (
    SOLUTION_KINDS,
    Model,
    QcaError,
    Solution,
    conservative,
    intermediate,
    parsimonious,
)
from tracker.analysis.qca.truth_table import TruthTable, build_truth_table

# Beyond 10 conditions the 1,024 configurations already dwarf any portfolio: most rows would be
# remainders (limited diversity), and the parsimonious solution would rest on assumptions about
# configurations no case shows.
MAX_CONDITIONS = 10


@dataclass(frozen=True)
class TermResult:
    term: str
    implicant: Implicant
    incl_s: float
    pri: float
    cov_s: float
    cov_u: float
    # the cases of the explained rows (OUT 1) the term covers, grouped by row
    case_groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ModelResult:
    name: str
    origin: str
    expression: str
    terms: tuple[TermResult, ...]
    incl_s: float
    pri: float
    cov_s: float


@dataclass(frozen=True)
class QcaResult:
    conditions: tuple[str, ...]
    outcome: str
    table: TruthTable
    solution: Solution
    models: tuple[ModelResult, ...]
    necessity: tuple[Necessity, ...]
    memberships: pd.DataFrame
    parameters: dict[str, object] = field(default_factory=dict)


def outcome_memberships(frame: pd.DataFrame, outcome: str) -> np.ndarray:
    """The outcome column; ``~NAME`` negates it (the analysis of the outcome's absence)."""
    name = outcome[1:] if outcome.startswith("~") else outcome
    y = frame[name].to_numpy(dtype=float)
    return 1.0 - y if outcome.startswith("~") else y


def check_conditions(conditions: Sequence[str]) -> None:
    if not conditions:
        raise QcaError("name at least one condition")
    if len(set(conditions)) != len(conditions):
        raise QcaError("a condition is named twice")
    if len(conditions) > MAX_CONDITIONS:
        raise QcaError(
            f"{len(conditions)} conditions is more than {MAX_CONDITIONS}: the truth table "
            f"would have {2 ** len(conditions):,} configurations, nearly all without a case "
            "(limited diversity), and the solutions would rest on assumptions about them; "
            "choose fewer conditions"
        )


def analyse_configurations(
    memberships: pd.DataFrame,
    *,
    outcome: str,
    conditions: Sequence[str],
    incl_cut: tuple[float, float] = (1.0, 1.0),
    n_cut: int = 1,
    solution: str = "conservative",
    expectations: Mapping[str, int] | None = None,
    with_necessity: bool = False,
) -> QcaResult:
    """Truth table and the ``solution`` (conservative, parsimonious, intermediate) for
    ``outcome`` over ``conditions``; memberships must already lie in 0–1."""
    check_conditions(conditions)
    if solution not in SOLUTION_KINDS:
        raise QcaError(f"unknown solution {solution!r}: choose one of {', '.join(SOLUTION_KINDS)}")
    if solution == "intermediate" and not expectations:
        raise QcaError("the intermediate solution needs directional expectations")
    if memberships.empty:
        raise QcaError("the case table has no cases")
    names = tuple(conditions)
    x = memberships.loc[:, list(names)].to_numpy(dtype=float)
    y = outcome_memberships(memberships, outcome)
    cases = [str(c) for c in memberships.index]
    table = build_truth_table(
        x, y, cases=cases, conditions=names, outcome=outcome, incl_cut=incl_cut, n_cut=n_cut
    )
    chosen = solve(table, solution, expectations or {})
    models = tuple(model_result(x, y, table, model) for model in chosen.models)
    return QcaResult(
        conditions=names,
        outcome=outcome,
        table=table,
        solution=chosen,
        models=models,
        necessity=tuple(necessity(x, y, names)) if with_necessity else (),
        memberships=memberships.loc[:, [*names, outcome.lstrip("~")]],
        parameters={
            "outcome": outcome,
            "conditions": list(names),
            "incl_cut": list(incl_cut),
            "n_cut": n_cut,
            "solution": solution,
            "dir_exp": dict(expectations or {}),
            "necessity": with_necessity,
        },
    )


def solve(table: TruthTable, kind: str, expectations: Mapping[str, int]) -> Solution:
    if kind == "conservative":
        return conservative(table)
    if kind == "parsimonious":
        return parsimonious(table)
    unknown = sorted(set(expectations) - set(table.conditions))
    if unknown:
        raise QcaError(f"directional expectation for {', '.join(unknown)}, not a condition")
    ordered = [expectations.get(name) for name in table.conditions]
    return intermediate(table, ordered)


def model_result(
    x: np.ndarray, y: np.ndarray, table: TruthTable, model: Model
) -> ModelResult:
    members = [term_membership(x, imp) for imp in model.implicants]
    unique = unique_coverages(members, y)
    positive_rows = [row for row in table.rows if row.out == "1"]
    terms = []
    for imp, member, cov_u in zip(model.implicants, members, unique, strict=True):
        fit = sufficiency(member, y)
        groups = tuple(row.cases for row in positive_rows if covers(imp, row.values))
        terms.append(
            TermResult(
                term_text(imp, table.conditions), imp, fit.incl_s, fit.pri, fit.cov_s, cov_u, groups
            )
        )
    whole = sufficiency(np.vstack(members).max(axis=0), y)
    return ModelResult(
        name=model.name,
        origin=model.origin,
        expression=model_text(model.implicants, table.conditions),
        terms=tuple(terms),
        incl_s=whole.incl_s,
        pri=whole.pri,
        cov_s=whole.cov_s,
    )
