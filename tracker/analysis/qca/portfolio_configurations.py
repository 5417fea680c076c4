"""The "Configurations" of a portfolio: QCA of its institutions, said in words for a funder.

One function for every door (the Portfolio page, the portfolio report, `tracker qca
--portfolio`, `GET /v1/portfolio-configurations`): the case table from the summary, the truth
table with the institutions named in each row, the solution in words and in notation with
consistency and coverage, the simplifying assumptions, and the caveats. A request QCA cannot
answer (nothing reaches the cut-off, too few institutions) is said, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.qca.configurations import QcaResult, analyse_configurations
from tracker.analysis.qca.document import cautions, result_document
from tracker.analysis.qca.implicants import DONT_CARE, Implicant
from tracker.analysis.qca.portfolio_sets import SETS_BY_KEY, portfolio_memberships
from tracker.analysis.qca.solutions import QcaError
from tracker.analysis.qca.truth_table import row_values

CONTRIBUTION_CAVEAT = (
    "A configuration is consistent with the outcome across these institutions: QCA shows set "
    "relations between conditions and an outcome; it does not show that any condition caused "
    "it. Any programme's work is one contribution among others."
)
OUT_WORDS = {"1": "consistent", "0": "not consistent", "C": "contradictory", "?": "too few"}
DEFAULT_OUTCOME = "later_phase"
DEFAULT_CONDITIONS = ("costly_reversal", "turnover", "many_changes")
DEFAULT_INCL_CUT = (0.8, 0.8)
# Institutions named in a sentence; the truth table names them all.
NAMED_IN_SENTENCE = 6


@dataclass(frozen=True)
class PortfolioConfigurations:
    outcome: str
    conditions: tuple[str, ...]
    incl_cut: tuple[float, float]
    solution: str
    result: QcaResult | None
    left_out: tuple[str, ...]
    unanswered: str | None  # why there is no solution, in words
    sentences: tuple[str, ...] = ()
    caveats: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        document = result_document(self.result) if self.result is not None else None
        return {
            "outcome": self.outcome,
            "conditions": list(self.conditions),
            "incl_cut": list(self.incl_cut),
            "solution": self.solution,
            "sets": {
                key: {"label": SETS_BY_KEY[key].label, "kind": SETS_BY_KEY[key].kind}
                for key in (*self.conditions, self.outcome.lstrip("~"))
            },
            "left_out": list(self.left_out),
            "unanswered": self.unanswered,
            "sentences": list(self.sentences),
            "caveats": list(self.caveats),
            "qca": document,
        }


def question(found: PortfolioConfigurations) -> str:
    """The question asked, in words."""
    conditions = ", ".join(SETS_BY_KEY[key].label for key in found.conditions)
    return (
        f"Which configurations of these conditions ({conditions}) are consistently found with "
        f"'{outcome_words(found.outcome)}'? Consistency required {found.incl_cut[0]:.2f}; "
        f"{found.solution} solution."
    )


def truth_table_records(found: PortfolioConfigurations) -> list[dict[str, Any]]:
    """The truth table in words: each condition yes/no, the institutions, named."""
    if found.result is None:
        return []
    result = found.result
    return [
        {
            **{
                SETS_BY_KEY[name].label: "yes" if value else "no"
                for name, value in zip(result.conditions, row.values, strict=True)
            },
            "institutions": row.n,
            "consistency": round(row.incl, 2),
            "with the outcome": OUT_WORDS[row.out],
            "named": ", ".join(row.cases),
        }
        for row in result.table.rows
    ]


def assumption_sentences(found: PortfolioConfigurations) -> list[str]:
    """The simplifying assumptions of each model, in words."""
    if found.result is None:
        return []
    result = found.result
    k = len(result.conditions)
    said = []
    for name, rows in result.solution.simplifying_assumptions.items():
        if rows:
            assumed = "; ".join(term_words(row_values(row, k), result.conditions) for row in rows)
            said.append(
                f"Simplifying assumptions ({name}): configurations without institutions "
                f"assumed to go with the outcome: {assumed}."
            )
    return said


def term_words(implicant: Implicant, conditions: tuple[str, ...]) -> str:
    """``costly_reversal*~turnover`` as "a costly reversal and no turnover"."""
    words = [
        SETS_BY_KEY[name].label if value == 1 else SETS_BY_KEY[name].absent
        for name, value in zip(conditions, implicant, strict=True)
        if value != DONT_CARE
    ]
    return " and ".join(words) if words else "any configuration"


def outcome_words(outcome: str) -> str:
    definition = SETS_BY_KEY[outcome.lstrip("~")]
    return definition.absent if outcome.startswith("~") else definition.label


def portfolio_configurations(
    summary: PortfolioSummary,
    *,
    outcome: str = DEFAULT_OUTCOME,
    conditions: tuple[str, ...] | list[str] = DEFAULT_CONDITIONS,
    incl_cut: tuple[float, float] = DEFAULT_INCL_CUT,
    n_cut: int = 1,
    solution: str = "conservative",
    expectations: dict[str, int] | None = None,
) -> PortfolioConfigurations:
    """QCA of the portfolio's institutions for one outcome and a few conditions."""
    names = tuple(conditions)
    memberships, left_out = portfolio_memberships(summary, outcome=outcome, conditions=names)
    caveats = [CONTRIBUTION_CAVEAT]
    if left_out:
        caveats.append(
            f"{len(left_out)} institution(s) are left out: '{outcome_words(outcome)}' is "
            "undefined for them (no tested change)."
        )
    common = {
        "outcome": outcome,
        "conditions": names,
        "incl_cut": incl_cut,
        "solution": solution,
        "left_out": tuple(left_out),
    }
    try:
        result = analyse_configurations(
            memberships,
            outcome=outcome,
            conditions=names,
            incl_cut=incl_cut,
            n_cut=n_cut,
            solution=solution,
            expectations=expectations,
        )
    except QcaError as error:
        return PortfolioConfigurations(
            **common,  # type: ignore[arg-type]
            result=None,
            unanswered=f"No configuration can be given: {error}.",
            caveats=tuple(caveats),
        )
    sentences = [_model_sentence(result, model_index) for model_index in range(len(result.models))]
    caveats.extend(cautions(result))
    return PortfolioConfigurations(
        **common,  # type: ignore[arg-type]
        result=result,
        unanswered=None,
        sentences=tuple(sentences),
        caveats=tuple(caveats),
    )


def _named(cases: list[str]) -> str:
    if not cases:
        return "no institution in an explained row"
    if len(cases) <= NAMED_IN_SENTENCE:
        return ", ".join(cases)
    shown = ", ".join(cases[:NAMED_IN_SENTENCE])
    return f"{len(cases)} institutions: {shown} and {len(cases) - NAMED_IN_SENTENCE} more"


def _model_sentence(result: QcaResult, index: int) -> str:
    model = result.models[index]
    terms = []
    for term in model.terms:
        cases = [case for group in term.case_groups for case in group]
        terms.append(
            f"{term_words(term.implicant, result.conditions)} "
            f"(consistency {term.incl_s:.2f}, coverage {term.cov_s:.2f}; "
            f"{_named(cases)})"
        )
    prefix = f"{model.name}: " if len(result.models) > 1 else ""
    return (
        f"{prefix}Across these {len(result.memberships)} institutions, "
        f"'{outcome_words(result.outcome)}' is consistently found with "
        + "; or with ".join(terms)
        + f". Together: consistency {model.incl_s:.2f}, coverage {model.cov_s:.2f}."
    )
