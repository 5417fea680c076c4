"""What every page shares: the analysis rules in the sidebar, the opening of a page (title,
notices, the empty-database guidance), choosing an institution or portfolio, and links between
pages that carry the chosen institution."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from tracker.access import Actor
from tracker.analysis.params import Parameters, parameter_help
from tracker.dashboard.admin.first_steps import FIRST_STEPS_FLASH, show_first_steps
from tracker.dashboard.navigation import page_spec, pages_for
from tracker.dashboard.page_data import SAMPLE_NOTICE, DatabaseStatus, PageData, database_status
from tracker.dashboard.session import current_actor
from tracker.dashboard.text import plain
from tracker.db import get_engine

# Session-state keys of the analysis-rule widgets (rendered by the router on every page, so
# their values survive moving between pages).
WINDOW_KEY = "rule_window_months"
TOLERANCE_KEY = "rule_indicator_tolerance"
AS_OF_KEY = "rule_as_of"
PARENT_KEY = "rule_parent_turnovers"
# The institution chosen on any page; pages also put it in the address (?institution=KEY).
CHOSEN_KEY = "chosen_institution"


def analysis_rules_sidebar() -> None:
    """The configurable analysis rules (product.md), in the sidebar of every page."""
    defaults = Parameters()
    help_text = {item.name: item.help for item in parameter_help()}
    with st.sidebar.expander("Analysis rules", icon=":material/tune:"):
        st.number_input(
            "Window after a turnover (months)",
            min_value=0,
            max_value=120,
            value=defaults.window_months,
            step=1,
            key=WINDOW_KEY,
            help=help_text["window_months"],
        )
        st.number_input(
            "Indicator tolerance (share of the pre-turnover mean)",
            min_value=0.0,
            max_value=1.0,
            value=defaults.indicator_tolerance,
            step=0.05,
            key=TOLERANCE_KEY,
            help=help_text["indicator_tolerance"],
        )
        st.date_input(
            "As of (empty: each institution's latest record)",
            value=None,
            key=AS_OF_KEY,
            help=help_text["as_of"],
        )
        st.checkbox(
            "Count a parent's turnovers for its members (a trust's chief executive)",
            value=defaults.parent_turnovers,
            key=PARENT_KEY,
            help=help_text["parent_turnovers"],
        )


def current_parameters() -> Parameters:
    """The analysis rules chosen in the sidebar (the defaults where none was chosen)."""
    defaults = Parameters()
    as_of = st.session_state.get(AS_OF_KEY)
    return Parameters(
        window_months=int(st.session_state.get(WINDOW_KEY, defaults.window_months)),
        indicator_tolerance=float(
            st.session_state.get(TOLERANCE_KEY, defaults.indicator_tolerance)
        ),
        as_of=as_of if isinstance(as_of, dt.date) else None,
        parent_turnovers=bool(st.session_state.get(PARENT_KEY, defaults.parent_turnovers)),
    )


def rules_caption(params: Parameters) -> str:
    """The rules a result was computed with, in one line shown beside it."""
    as_of = (
        params.as_of.isoformat() if params.as_of else "each institution's latest dated record"
    )
    return (
        f"Rules: window {params.window_months} months after a turnover; indicator tolerance "
        f"{params.indicator_tolerance:.0%} of the pre-turnover mean; as of {as_of}"
        + ("; a parent's turnovers count for its members." if params.parent_turnovers else ".")
    )


# What each page needs, said on an empty database (pages may say it themselves: `needs`).
PAGE_NEEDS = {
    "Persistence timeline": "The timeline needs an institution with its leadership and "
    "indicator values.",
    "Portfolio": "The portfolio needs institutions (and, for a funder, a portfolio of them).",
    "Contribution story": "The story needs an institution with its changes and evidence.",
    "Database and audit log": "The audit log fills as soon as anything is written.",
}


def open_page(
    title: str, *, intro: str | None = None, needs: str | None = None
) -> PageData | None:
    """Title, notices and data of a page; None (after saying what to do) when there is none.

    An unmigrated or empty database is not an error: the page says what to do next.
    """
    st.title(title)
    if intro:
        st.caption(intro)
    actor = current_actor()
    status = database_status()
    if not status.schema_ready:
        _show_setup(status)
        return None
    if status.empty:
        _show_empty(actor, status, needs or PAGE_NEEDS.get(title, "This page shows institutions."))
        return None
    data = PageData(actor=actor, status=status, params=current_parameters())
    _first_steps_done()
    if data.is_sample():
        st.info(SAMPLE_NOTICE, icon=":material/science:")
    if data.institutions().empty:
        st.info(
            "You may not read any institution yet. Ask an administrator to give you access "
            "to your institution or portfolio.",
            icon=":material/lock:",
        )
        return None
    return data


def _first_steps_done() -> None:
    """The outcome of a first step (a workbook imported, the sample loaded), shown at the top
    of the page that replaces the first-steps page."""
    from tracker.dashboard.quarter.quarter_page import FLASH_KEY

    message = st.session_state.get(FLASH_KEY, {}).pop(FIRST_STEPS_FLASH, None)
    if message:
        st.success(plain(message), icon=":material/check_circle:")


def _show_setup(status: DatabaseStatus) -> None:
    st.info(
        f"{status.problem}\n\n"
        "**What to do next:** run `make run` (it creates the database, loads the illustrative "
        "sample and starts this dashboard), or create the schema with "
        "`.venv/bin/tracker db upgrade` and then import your workbook with "
        "`.venv/bin/tracker import PATH`.",
        icon=":material/construction:",
    )


def _show_empty(actor: Actor, status: DatabaseStatus, page_needs: str) -> None:
    show_first_steps(get_engine(status.url), actor, status.where, page_needs)
    if actor.is_admin and st.button(
        "Load the illustrative sample data", icon=":material/download:", type="primary",
        key="load_sample",
    ):
        _load_sample(actor, status)


def _load_sample(actor: Actor, status: DatabaseStatus) -> None:
    # Imported here: the write layer is only needed by this one button.
    from tracker.dashboard.quarter.quarter_page import FLASH_KEY
    from tracker.workbook.problems import WorkbookRefused
    from tracker.writes.quarter.history_approval import load_sample

    with st.spinner("Loading the sample workbook…"):
        try:
            _, approvals = load_sample(get_engine(status.url), actor=actor)
        except WorkbookRefused as refused:
            st.error(plain(refused.report()))
            return
    approved = sum(len(a.approved) for a in approvals)
    st.session_state[FLASH_KEY] = {
        **st.session_state.get(FLASH_KEY, {}),
        FIRST_STEPS_FLASH: f"The illustrative sample is loaded: {len(approvals)} institutions, "
        f"their history ({approved} quarters) approved as history.",
    }
    # The import wrote an audit entry: the data version changed, so every cache refreshes.
    st.rerun()


def choose_institution(data: PageData, *, label: str = "Institution") -> str:
    """A chooser over the readable institutions; remembers the choice across pages.

    The address's `?institution=KEY` wins (a drill-down link or a shared address), then the
    last choice in this session, then the first institution by name.
    """
    institutions = data.institutions()
    keys = list(institutions["key"])
    names = dict(zip(institutions["key"], institutions["name"], strict=True))
    wanted = st.query_params.get("institution") or st.session_state.get(CHOSEN_KEY)
    index = keys.index(wanted) if wanted in keys else 0
    # No widget key: the default follows the remembered choice when it changes elsewhere.
    choice = st.selectbox(
        label, keys, index=index, format_func=lambda key: f"{names[key]} ({key})"
    )
    key = str(choice)
    st.session_state[CHOSEN_KEY] = key
    st.query_params["institution"] = key
    return key


ALL_PORTFOLIOS = "all"


def choose_portfolio(data: PageData, *, default: str | None = None) -> str | None:
    """A chooser over the readable portfolios; None stands for every readable institution.

    The address's `?portfolio=KEY` wins, then `default` (a funder's own portfolio)."""
    portfolios = data.portfolios()
    options: list[str | None] = [None, *portfolios["portfolio"]]
    names = dict(zip(portfolios["portfolio"], portfolios["name"], strict=True))
    wanted = st.query_params.get("portfolio") or default
    index = options.index(wanted) if wanted in options else 0
    choice = st.selectbox(
        "Portfolio",
        options,
        index=index,
        format_func=lambda key: "All institutions you may read"
        if key is None
        else f"{names.get(key) or key} ({key})",
    )
    if choice is None and default is None:
        st.query_params.pop("portfolio", None)
    else:
        # "all" keeps a funder's explicit choice of every institution over their default.
        st.query_params["portfolio"] = choice or ALL_PORTFOLIOS
    return choice


def link_to(
    url_path: str, label: str, *, institution: str, actor: Actor, icon: str | None = None
) -> None:
    """A link to another page about `institution`, shown only if `actor` may open it."""
    visible = {page.url_path for page in pages_for(actor)}
    if url_path not in visible:
        return
    st.page_link(
        page_spec(url_path).path,
        label=label,
        icon=icon,
        query_params={"institution": institution},
    )
