"""The blocks of the portfolio page: key figures, at-risk institutions, the drill-down table,
exports and caveats. Every number comes from `PortfolioSummary`; nothing is recounted here."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from tracker.access import Actor
from tracker.analysis.portfolio import PortfolioSummary
from tracker.dashboard.labels import AT_RISK, NO, YES, phase_label
from tracker.dashboard.page_opening import link_to
from tracker.dashboard.portfolio.xlsx_export import portfolio_xlsx
from tracker.dashboard.story.story_view import show_downloads
from tracker.dashboard.text import plain
from tracker.reports.portfolio_report import file_stem, portfolio_report

DRILL_DOWN_KEY = "portfolio_drill_down"


def show_key_figures(summary: PortfolioSummary) -> None:
    institutions, changes, tested, at_risk = st.columns(4)
    institutions.metric("Institutions", summary.n_institutions)
    changes.metric("Structural changes", summary.n_changes)
    share = summary.tested_share
    tested.metric(
        "Tested by a turnover",
        f"{summary.n_tested} ({share:.0%})" if share is not None else "–",
        help="Untested persistence is not persistence: only a change that a turnover has "
        "tested can be said to have survived one.",
    )
    at_risk.metric(
        "At risk",
        len(summary.at_risk),
        help="A key role vacant or changing, or a tenure ending, with no succession plan "
        "recorded.",
    )


def _joined(values: object) -> str:
    if isinstance(values, tuple | list):
        return "; ".join(str(item) for item in values)
    return "" if values is None else str(values)


def default_portfolio(actor: Actor, portfolios: pd.DataFrame) -> str | None:
    """A funder's own portfolio (the first by name) when they have one; else None (all)."""
    if actor.role != "funder" or not actor.portfolios:
        return None
    mine = portfolios[portfolios["portfolio"].isin(actor.portfolios)]
    if mine.empty:
        return None
    named = mine.assign(label=mine["name"].fillna(mine["portfolio"])).sort_values("label")
    return str(named["portfolio"].iloc[0])


# At-risk institutions shown at a time: a national portfolio has thousands, and a card each
# would make the page slow to draw and long to scroll.
AT_RISK_PAGE = 25
AT_RISK_PAGE_KEY = "portfolio_at_risk_page"


def show_at_risk(summary: PortfolioSummary) -> None:
    """Each institution at risk with its reasons in full (one line per reason, never cut),
    `AT_RISK_PAGE` at a time."""
    st.subheader("⚠ Institutions at risk", anchor=False)
    if summary.at_risk.empty:
        st.write("No institution has a key role vacant or changing without a succession plan.")
        return
    rows = summary.at_risk
    total = len(rows)
    if total > AT_RISK_PAGE:
        pages = math.ceil(total / AT_RISK_PAGE)
        pager, _ = st.columns([1, 2])  # a page number needs no full-width box
        page = int(
            pager.number_input(
                f"Page of the institutions at risk (1 to {pages})",
                min_value=1, max_value=pages, value=1, step=1, key=AT_RISK_PAGE_KEY,
            )
        )
        start = (page - 1) * AT_RISK_PAGE
        rows = rows.iloc[start : start + AT_RISK_PAGE]
        st.caption(
            f"Institutions {start + 1:,} to {start + len(rows):,} of {total:,} at risk, by "
            "institution key. The .xlsx download lists every one."
        )
    for row in rows.itertuples(index=False):
        with st.container(border=True):
            roles = plain(_joined(row.roles).replace("_", " "))
            st.markdown(f"**{plain(row.name)}** ({plain(row.institution)}) · roles: {roles}")
            reasons = row.reasons if isinstance(row.reasons, tuple | list) else [row.reasons]
            for reason in reasons:
                st.markdown(f"- {plain(reason)}")


def drill_down_frame(summary: PortfolioSummary) -> pd.DataFrame:
    """The drill-down table as shown: phases and flags in words, not colour."""
    table = summary.institutions
    return pd.DataFrame(
        {
            "institution": table["institution"],
            "name": table["name"],
            "phase": table["phase"].map(phase_label),
            "as of": pd.to_datetime(table["as_of"]).dt.date,
            "costly reversal": table["costly_reversal"].map({True: YES, False: NO}),
            "turnovers": table["turnovers"],
            "changes": table["changes"],
            "tested": table["tested"],
            "persisted": table["persisted"],
            "reversed after turnover": table["reversed_after_turnover"],
            "untested": table["untested"],
            "at risk": table["at_risk"].map({True: AT_RISK, False: ""}),
        }
    )


def show_drill_down(summary: PortfolioSummary, actor: Actor) -> None:
    """The institutions table; choosing a row offers its timeline and its story."""
    st.subheader("Institutions", anchor=False)
    st.caption("Select a row to open that institution's persistence timeline or story.")
    event = st.dataframe(
        drill_down_frame(summary),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=DRILL_DOWN_KEY,
    )
    rows = event.selection.rows
    if not rows:
        return
    key = str(summary.institutions["institution"].iloc[rows[0]])
    name = summary.institutions["name"].iloc[rows[0]]
    timeline, story = st.columns(2)
    with timeline:
        link_to(
            "timeline", plain(f"Timeline of {name}"), institution=key, actor=actor,
            icon=":material/timeline:",
        )
    with story:
        link_to(
            "story", plain(f"Contribution story of {name}"), institution=key, actor=actor,
            icon=":material/article:",
        )


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_exports(summary: PortfolioSummary) -> None:
    """The spreadsheet and the report in every format, named after the portfolio."""
    st.subheader("Download the report pack", anchor=False)
    stem = file_stem(summary)
    # The files are made when clicked (a callable), not on every run of the page.
    st.download_button(
        "Portfolio summary (.xlsx)",
        data=lambda: portfolio_xlsx(summary),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        icon=":material/table:",
        on_click="ignore",
    )
    show_downloads(lambda: portfolio_report(summary), stem=stem)


def show_caveats(summary: PortfolioSummary) -> None:
    st.subheader("Read these numbers with their caveats", anchor=False)
    for caveat in summary.caveats:
        st.markdown(f"- {plain(caveat)}")
