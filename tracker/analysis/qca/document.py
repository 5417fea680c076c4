"""A QCA result as plain data (the JSON `tracker qca --format json` promises) and as text lines.

The JSON keys are a public promise, documented in the README: ``parameters``, ``truth_table``,
``remainders``, ``ambiguous_cases``, ``solutions``, ``essential``, ``simplifying_assumptions``,
``necessity``, ``memberships``, ``cautions``.
"""

from __future__ import annotations

import math
from typing import Any

from tracker.analysis.qca.configurations import ModelResult, QcaResult
from tracker.analysis.qca.notation import term_text
from tracker.analysis.qca.truth_table import row_values

# Below these, the reader is told plainly (few cases, limited diversity).
FEW_CASES = 10
MANY_REMAINDERS_SHARE = 0.5


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _figure(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def result_document(result: QcaResult) -> dict[str, Any]:
    """Everything the run found, as JSON-ready data."""
    conditions = result.conditions
    table = result.table
    return {
        "parameters": result.parameters,
        "truth_table": [
            {
                "id": row.id,
                **dict(zip(conditions, row.values, strict=True)),
                "OUT": row.out,
                "n": row.n,
                "incl": _number(row.incl),
                "PRI": _number(row.pri),
                "cases": list(row.cases),
            }
            for row in table.rows
        ],
        "remainders": table.remainder_ids(),
        "ambiguous_cases": list(table.ambiguous_cases),
        "solutions": [_model_document(model) for model in result.models],
        "essential": [term_text(imp, conditions) for imp in result.solution.essential],
        "simplifying_assumptions": [
            {
                ("from" if result.solution.kind == "intermediate" else "model"): name,
                "rows": [_configuration(row, conditions) for row in rows],
            }
            for name, rows in result.solution.simplifying_assumptions.items()
        ],
        "necessity": [
            {
                "condition": n.condition,
                "inclN": _number(n.incl_n),
                "RoN": _number(n.ron),
                "covN": _number(n.cov_n),
            }
            for n in result.necessity
        ],
        "memberships": [
            {"case": str(case), **{str(k): float(v) for k, v in values.items()}}
            for case, values in result.memberships.iterrows()
        ],
        "cautions": cautions(result),
    }


def _configuration(row: int, conditions: tuple[str, ...]) -> dict[str, int]:
    return {"id": row, **dict(zip(conditions, row_values(row, len(conditions)), strict=True))}


def _model_document(model: ModelResult) -> dict[str, Any]:
    return {
        "model": model.name,
        "from": model.origin or None,
        "expression": model.expression,
        "terms": [
            {
                "term": t.term,
                "inclS": _number(t.incl_s),
                "PRI": _number(t.pri),
                "covS": _number(t.cov_s),
                "covU": _number(t.cov_u),
                "cases": [case for group in t.case_groups for case in group],
            }
            for t in model.terms
        ],
        "inclS": _number(model.incl_s),
        "PRI": _number(model.pri),
        "covS": _number(model.cov_s),
    }


def cautions(result: QcaResult) -> list[str]:
    """What a reader must know before trusting the solution, said plainly."""
    table = result.table
    said = []
    cases = len(result.memberships)
    if cases < FEW_CASES:
        said.append(
            f"Only {cases} cases: a configuration may rest on one or two of them; read each "
            "row's cases before the solution."
        )
    remainders = len(table.remainder_ids())
    if remainders / table.size >= MANY_REMAINDERS_SHARE:
        said.append(
            f"{remainders} of the {table.size} configurations have no case (limited "
            "diversity): the parsimonious and intermediate solutions rest on assumptions "
            "about them."
        )
    contradictions = [row for row in table.rows if row.out == "C"]
    if contradictions:
        said.append(
            f"{len(contradictions)} configuration(s) are contradictions (consistency between "
            "the two cut-offs): left out of the solution."
        )
    if table.ambiguous_cases:
        said.append(
            f"{len(table.ambiguous_cases)} case(s) have a membership of exactly 0.5 in a "
            f"condition and belong to no row: {', '.join(table.ambiguous_cases)}."
        )
    return said


def result_lines(result: QcaResult) -> list[str]:
    """The result as R's QCA prints it: truth table, models with their fit, necessity."""
    conditions = result.conditions
    lines = [f"Truth table: outcome {result.outcome}, {len(result.memberships)} cases", ""]
    header = ["id", *conditions, "OUT", "n", "incl", "PRI", "cases"]
    rows = [
        [
            str(row.id),
            *map(str, row.values),
            row.out,
            str(row.n),
            _figure(row.incl),
            _figure(row.pri),
            ",".join(row.cases),
        ]
        for row in result.table.rows
    ]
    lines += _aligned([header, *rows])
    lines += ["", f"{result.solution.kind.capitalize()} solution:"]
    for model in result.models:
        origin = f" (from {model.origin})" if model.origin else ""
        lines += ["", f"{model.name}{origin}: {model.expression} => {result.outcome}"]
        fit = [["", "inclS", "PRI", "covS", "covU", "cases"]]
        for t in model.terms:
            unique = "-" if len(model.terms) == 1 else _figure(t.cov_u)
            groups = "; ".join(",".join(group) for group in t.case_groups)
            fit.append(
                [t.term, _figure(t.incl_s), _figure(t.pri), _figure(t.cov_s), unique, groups]
            )
        fit.append([model.name, _figure(model.incl_s), _figure(model.pri), _figure(model.cov_s)])
        lines += _aligned(fit)
    for name, assumed in result.solution.simplifying_assumptions.items():
        label = "easy counterfactuals" if result.solution.kind == "intermediate" else (
            "simplifying assumptions"
        )
        ids = ", ".join(map(str, assumed)) or "none"
        lines.append(f"{label} ({name}): rows {ids}")
    if result.necessity:
        lines += ["", "Necessity:"]
        necessity = [["", "inclN", "RoN", "covN"]] + [
            [n.condition, _figure(n.incl_n), _figure(n.ron), _figure(n.cov_n)]
            for n in result.necessity
        ]
        lines += _aligned(necessity)
    for caution in cautions(result):
        lines += ["", f"Note: {caution}"]
    return lines


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
