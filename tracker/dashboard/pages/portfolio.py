"""Funder › Portfolio: institutions by phase, persistence tests by verdict, the share of changes
a turnover has tested, the institutions at risk, survival of changes, a table that drills
down to each institution's timeline and story, and the configurations of conditions found with
an outcome (QCA); exportable as `.xlsx` and as a report."""

import altair as alt
import streamlit as st

from tracker.dashboard import page_opening, targets_view
from tracker.dashboard.portfolio import configurations_view, portfolio_view
from tracker.dashboard.portfolio.portfolio_charts import (
    phase_counts_chart,
    survival_chart,
    verdict_counts_chart,
)
from tracker.dashboard.text import show_text

data = page_opening.open_page(
    "Portfolio",
    intro="What the evidence across the institutions you follow is consistent with: how many "
    "are in each phase, how many changes a turnover has tested and how many persisted.",
)
if data is None:
    st.stop()

portfolio = page_opening.choose_portfolio(
    data, default=portfolio_view.default_portfolio(data.actor, data.portfolios())
)
summary = data.portfolio(portfolio)
st.caption(page_opening.rules_caption(data.params))
portfolio_view.show_exports(summary)

portfolio_view.show_key_figures(summary)
by_phase, by_verdict = st.columns(2)
by_phase.altair_chart(phase_counts_chart(summary.phase_counts), width="content")
by_verdict.altair_chart(verdict_counts_chart(summary.verdict_counts), width="content")
show_text(summary.tested_sentence)

portfolio_view.show_at_risk(summary)
st.subheader("Survival of structural changes", anchor=False)
curves, notes = st.columns([3, 2])
if len(summary.survival.curves):
    # Fits the column's width (a phone too); the height stays the chart's own.
    fitted = survival_chart(summary.survival.curves).properties(
        width="container", autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )
    curves.altair_chart(fitted, width="stretch")
with notes:
    for group in summary.survival.groups:
        show_text(group.sentence)
    show_text(summary.survival.logrank_sentence, muted=True)

portfolio_view.show_drill_down(summary, data.actor)
targets_view.show_portfolio_targets(data, summary)
configurations_view.show_configurations(summary)
portfolio_view.show_caveats(summary)
