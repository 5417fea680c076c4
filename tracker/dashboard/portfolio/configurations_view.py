"""The portfolio page's "Configurations" section: which configurations of conditions go with an
outcome across the institutions (QCA). The funder chooses the outcome and up to six conditions;
everything shown comes from `portfolio_configurations` (nothing is computed here)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.qca.portfolio_configurations import (
    DEFAULT_CONDITIONS,
    DEFAULT_INCL_CUT,
    DEFAULT_OUTCOME,
    PortfolioConfigurations,
    assumption_sentences,
    portfolio_configurations,
    truth_table_records,
)
from tracker.analysis.qca.portfolio_sets import (
    CONDITION_KEYS,
    OUTCOME_KEYS,
    PAGE_MAX_CONDITIONS,
    SETS_BY_KEY,
)
from tracker.dashboard.text import plain, show_text

SOLUTIONS = {
    "conservative": "Only configurations with institutions (conservative)",
    "parsimonious": "Simplest, assuming about configurations without institutions "
    "(parsimonious)",
}


def _label(key: str) -> str:
    return SETS_BY_KEY[key].label


def show_configurations(summary: PortfolioSummary) -> None:
    st.subheader("Configurations", anchor=False)
    st.caption(
        "Which combinations of conditions are consistently found with an outcome across these "
        "institutions (Qualitative Comparative Analysis). Each institution is one case."
    )
    outcome_column, conditions_column = st.columns([1, 2])
    outcome = outcome_column.selectbox(
        "Outcome",
        OUTCOME_KEYS,
        index=OUTCOME_KEYS.index(DEFAULT_OUTCOME),
        format_func=_label,
        key="qca_outcome",
        help="; ".join(f"{_label(k)}: {SETS_BY_KEY[k].help}" for k in OUTCOME_KEYS),
    )
    conditions = conditions_column.multiselect(
        f"Conditions (up to {PAGE_MAX_CONDITIONS})",
        CONDITION_KEYS,
        default=list(DEFAULT_CONDITIONS),
        format_func=_label,
        max_selections=PAGE_MAX_CONDITIONS,
        key="qca_conditions",
        help="; ".join(f"{_label(k)}: {SETS_BY_KEY[k].help}" for k in CONDITION_KEYS),
    )
    cut_column, solution_column = st.columns([1, 2])
    cut = cut_column.slider(
        "Consistency required",
        min_value=0.5,
        max_value=1.0,
        value=DEFAULT_INCL_CUT[0],
        step=0.05,
        key="qca_incl_cut",
        help="The share of a configuration's membership that must also be in the outcome "
        "for it to count as consistent with the outcome.",
    )
    solution = solution_column.radio(
        "Solution",
        list(SOLUTIONS),
        format_func=SOLUTIONS.__getitem__,
        key="qca_solution",
        horizontal=True,
    )
    if not conditions:
        st.info("Choose at least one condition.")
        return
    found = portfolio_configurations(
        summary,
        outcome=outcome,
        conditions=tuple(conditions),
        incl_cut=(cut, cut),
        solution=solution,
    )
    _show_answer(found)


def _show_answer(found: PortfolioConfigurations) -> None:
    if found.unanswered:
        st.info(plain(found.unanswered))
    for sentence in found.sentences:
        show_text(sentence)
    result = found.result
    if result is not None:
        for model in result.models:
            # Set keys only (letters, digits, _, *, ~, +): nothing a code span could misread.
            st.markdown(f"`{model.expression}` → `{result.outcome}`")
        st.dataframe(
            pd.DataFrame(truth_table_records(found)),
            hide_index=True,
            width="stretch",
            column_config={"named": st.column_config.TextColumn(width="large")},
        )
        for sentence in assumption_sentences(found):
            show_text(sentence, muted=True)
    for caveat in found.caveats:
        st.markdown(f"- {plain(caveat)}")
