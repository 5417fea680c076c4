"""The dashboard with users: a login first (throttled, audited), then role × page — every page
a role may open runs without an exception and shows nothing of another institution or
portfolio (text, tables, choosers, charts); a page it may not open is not in its menu at all.
Through Streamlit's AppTest, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.access.scenario import NAMES, ROLES, SCOPED, TAGS, Role, leaks
from tests.dashboard.conftest import DASHBOARD
from tracker import models
from tracker.access import local_operator
from tracker.config import PROJECT_ROOT
from tracker.dashboard.auth import SIGNED_IN
from tracker.dashboard.navigation import PAGES, PageSpec
from tracker.db import get_engine, read_session
from tracker.users import MAX_FAILED_LOGINS, add_user, set_disabled

# The first run of a page analyses the data from scratch; the machine may be busy.
TIMEOUT = 180
PRESENT = [page for page in PAGES if page.path.is_file()]
# Pages that choose an institution (and take ?institution=KEY from the address).
CHOOSERS = ("timeline", "story", "log-quarter")


@pytest.fixture
def dashboard(scenario_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("TRACKER_DATABASE_URL", scenario_url)
    yield AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)


def page_text(at: AppTest) -> str:
    """Everything the run drew: every element's and block's message, data frames and chart
    data included (their text cells are stored as plain UTF-8 inside the message)."""

    def walk(node: object) -> Iterator[str]:
        proto = getattr(node, "proto", None)
        if proto is not None:
            yield str(proto)
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    return "\n".join(walk(at._tree))


def signed_in(at: AppTest, role: Role) -> AppTest:
    at.session_state[SIGNED_IN] = role.user
    return at.run()


def audit_actions(url: str, name: str) -> list[str]:
    with read_session(get_engine(url)) as session:
        return list(session.scalars(
            select(models.AuditEntry.action)
            .where(models.AuditEntry.record_key == name, models.AuditEntry.table_name == "users")
            .order_by(models.AuditEntry.id)
        ))


def test_with_users_nothing_but_the_login_form_is_shown(dashboard: AppTest) -> None:
    at = dashboard.run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert at.text_input(key="login_password").proto.type == 1  # a password field
    # Someone who is not logged in may read nothing at all.
    assert leaks(page_text(at), Role("nobody", "institution")) == []


@pytest.mark.usefixtures("fast_hashing")
def test_a_login_opens_the_pages_of_the_role_and_is_audited(
    dashboard: AppTest, scenario_url: str
) -> None:
    add_user(get_engine(scenario_url), "lou", role="institution", password="lou's password",
             actor=local_operator(), institutions=["cedar"])
    at = dashboard.run()
    at.text_input(key="login_name").input("lou")
    at.text_input(key="login_password").input("lou's password")
    at = at.button(key="FormSubmitter:login-Log in").click().run()
    assert not at.exception
    assert at.session_state[SIGNED_IN] == "lou"
    assert at.title[0].value == "Persistence timeline"
    assert any("Signed in as lou (institution)" in c.value for c in at.sidebar.caption)
    assert audit_actions(scenario_url, "lou")[-1] == "login"
    text = page_text(at)
    assert "Cedar Police" in text and "birch" not in text.lower() and "alder" not in text.lower()
    # Logging out draws the login form again, and is audited.
    at = at.sidebar.button(key="logout").click().run()
    assert SIGNED_IN not in at.session_state
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert audit_actions(scenario_url, "lou")[-1] == "logout"


@pytest.mark.usefixtures("fast_hashing")
def test_failed_logins_are_refused_then_throttled_and_audited(
    dashboard: AppTest, scenario_url: str
) -> None:
    add_user(get_engine(scenario_url), "tess", role="institution", password="tess password",
             actor=local_operator(), institutions=["alder"])
    at = dashboard.run()
    for _ in range(MAX_FAILED_LOGINS):
        at.text_input(key="login_name").input("tess")
        at.text_input(key="login_password").input("a wrong guess")
        at = at.button(key="FormSubmitter:login-Log in").click().run()
        assert "Login refused" in at.error[0].value
    at.text_input(key="login_name").input("tess")
    at.text_input(key="login_password").input("tess password")
    at = at.button(key="FormSubmitter:login-Log in").click().run()
    assert "Too many failed logins" in at.error[0].value
    assert SIGNED_IN not in at.session_state
    assert audit_actions(scenario_url, "tess") == [
        "user_add", *["login_failed"] * MAX_FAILED_LOGINS, "login_throttled"
    ]


@pytest.mark.usefixtures("fast_hashing")
def test_a_disabled_user_is_sent_back_to_the_login_form(
    dashboard: AppTest, scenario_url: str
) -> None:
    engine = get_engine(scenario_url)
    add_user(engine, "dan", role="institution", password="dan password", actor=local_operator(),
             institutions=["alder"])
    at = signed_in(dashboard, Role("dan", "institution", institutions=("alder",)))
    assert at.title[0].value == "Persistence timeline"
    set_disabled(engine, "dan", disabled=True, actor=local_operator())
    at = at.run()
    assert "disabled" in at.error[0].value
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert "alder" not in page_text(at).lower()


def _switch(at: AppTest, page: PageSpec) -> AppTest:
    return at.switch_page(str(page.path.relative_to(PROJECT_ROOT))).run()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.role)
@pytest.mark.parametrize("page", PRESENT, ids=lambda p: p.url_path)
def test_role_page_opens_without_leaks_or_is_not_in_the_menu(
    dashboard: AppTest, role: Role, page: PageSpec
) -> None:
    at = signed_in(dashboard, role)
    if role.role not in page.roles:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            _switch(at, page)
        return
    at = _switch(at, page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == page.title
    text = page_text(at)
    assert leaks(text, role) == []
    if page.url_path in CHOOSERS:
        # The page does show data: the institutions the role may read.
        assert all(NAMES[tag] in text for tag in role.readable)


@pytest.mark.parametrize(
    ("role", "page"),
    [(r, p) for r in SCOPED for p in PRESENT if p.url_path in CHOOSERS and r.role in p.roles],
    ids=lambda x: x.role if isinstance(x, Role) else x.url_path,
)
def test_an_address_naming_another_institution_shows_none_of_it(
    dashboard: AppTest, role: Role, page: PageSpec
) -> None:
    at = signed_in(dashboard, role)
    for tag in TAGS:
        if tag in role.readable:
            continue
        at.query_params["institution"] = tag
        at = _switch(at, page)
        assert not at.exception, [e.value for e in at.exception]
        assert leaks(page_text(at), role) == [], tag
