"""The dashboard's pages, grouped by audience, and which of them an actor sees.

`PAGES` is the one list of pages: adding a page is adding a `PageSpec` here and a file under
`tracker/dashboard/pages/`. A page whose file does not exist yet (a page another issue is still
writing) is left out of the menu rather than breaking it. Which roles see a page is data
(`PageSpec.roles`); `pages_for` is the single place where that is decided, so that logins can
refine it without touching the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from tracker.access import Actor
from tracker.vocab import ROLES

PAGES_DIR = Path(__file__).resolve().parent / "pages"

AUDIENCES = ("Institution", "Funder", "Evaluator", "Administrator")

EVERYONE = frozenset(ROLES)


@dataclass(frozen=True)
class PageSpec:
    """One page of the dashboard: where it lives, how it is named, who sees it."""

    audience: str  # one of AUDIENCES: the menu section it appears under
    script: str  # file name under tracker/dashboard/pages/
    title: str
    icon: str
    url_path: str  # the page's address, e.g. http://localhost:8501/timeline
    roles: frozenset[str] = EVERYONE

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.script


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "Institution",
        "timeline.py",
        "Persistence timeline",
        ":material/timeline:",
        "timeline",
    ),
    PageSpec(
        "Funder",
        "portfolio.py",
        "Portfolio",
        ":material/dashboard:",
        "portfolio",
        roles=frozenset({"admin", "evaluator", "funder"}),
    ),
    PageSpec(
        "Funder",
        "story.py",
        "Contribution story",
        ":material/article:",
        "story",
    ),
    PageSpec(
        "Evaluator",
        "log_quarter.py",
        "Log a quarter",
        ":material/edit_note:",
        "log-quarter",
        roles=frozenset({"admin", "evaluator"}),
    ),
    PageSpec(
        "Evaluator",
        "due.py",
        "Due board",
        ":material/event_upcoming:",
        "due",
        roles=frozenset({"admin", "evaluator", "reviewer"}),
    ),
    PageSpec(
        "Evaluator",
        "review.py",
        "Review quarters",
        ":material/fact_check:",
        "review",
        roles=frozenset({"admin", "reviewer"}),
    ),
    PageSpec(
        "Administrator",
        "admin.py",
        "Users and portfolios",
        ":material/manage_accounts:",
        "admin",
        roles=frozenset({"admin"}),
    ),
    PageSpec(
        "Administrator",
        "database.py",
        "Database and audit log",
        ":material/database:",
        "database",
        roles=frozenset({"admin"}),
    ),
)

# The page each role lands on first (the first of these it may see).
LANDING = {
    "admin": ("portfolio", "timeline"),
    "funder": ("portfolio", "story"),
    "evaluator": ("log-quarter", "timeline"),
    "reviewer": ("review", "timeline"),
    "institution": ("timeline",),
}


def pages_for(actor: Actor, pages: Iterable[PageSpec] = PAGES) -> list[PageSpec]:
    """The pages `actor` may open, in menu order; pages whose file is missing are left out."""
    return [page for page in pages if page.path.is_file() and actor.role in page.roles]


def landing_page(actor: Actor, pages: list[PageSpec]) -> PageSpec | None:
    """The page `actor` sees first: the role's preferred page, else the first in the menu."""
    by_url = {page.url_path: page for page in pages}
    for url_path in LANDING.get(actor.role, ()):
        if url_path in by_url:
            return by_url[url_path]
    return pages[0] if pages else None


def page_spec(url_path: str) -> PageSpec:
    """The page registered at `url_path` (KeyError when there is none)."""
    for page in PAGES:
        if page.url_path == url_path:
            return page
    raise KeyError(url_path)


def _pages(visible: Iterable[PageSpec]) -> dict[str, st.Page]:
    return {
        spec.url_path: st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path)
        for spec in visible
    }


def _home(target: st.Page | None) -> st.Page:
    """The page at the root address: it opens the role's landing page (keeping the address's
    query). Every real page keeps its own address, so a bookmark of any of them works."""

    def home() -> None:
        if target is not None:
            st.switch_page(target, query_params=st.query_params.to_dict())
        st.info("There is no page for your role yet: ask an administrator.")

    return st.Page(home, title="Home", icon=":material/home:", url_path="home", default=True)


def navigation_sections(actor: Actor) -> dict[str, list[PageSpec]]:
    """The menu for `actor`: one section per audience that has pages, in menu order."""
    sections: dict[str, list[PageSpec]] = {}
    visible = pages_for(actor)
    for audience in AUDIENCES:
        for spec in visible:
            if spec.audience == audience:
                sections.setdefault(audience, []).append(spec)
    return sections


def navigate(actor: Actor) -> st.Page:
    """Resolve the address to one of `actor`'s pages (the root opens their landing page) and
    draw the menu in the sidebar; returns the page to run."""
    visible = pages_for(actor)
    pages = _pages(visible)
    first = landing_page(actor, visible)
    page = st.navigation(
        [_home(None if first is None else pages[first.url_path]), *pages.values()],
        position="hidden",
    )
    with st.sidebar:
        for audience, specs in navigation_sections(actor).items():
            st.caption(audience)
            for spec in specs:
                st.page_link(pages[spec.url_path], label=spec.title, icon=spec.icon)
    return page


def all_pages_hidden() -> list[st.Page]:
    """Every page, for resolving the address before login (none of them is run)."""
    return [_home(None), *_pages(spec for spec in PAGES if spec.path.is_file()).values()]
