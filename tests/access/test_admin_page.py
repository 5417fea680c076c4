"""Administrator › Users and portfolios, through AppTest: portfolios created and edited (members
and funders) and users added, each through the audited back end. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from tests.access.scenario import load_scenario, workbook_tables, write_csvs
from tests.dashboard.conftest import DASHBOARD
from tracker import models
from tracker.access import local_operator
from tracker.dashboard.auth import SIGNED_IN
from tracker.dashboard.navigation import page_spec
from tracker.db import read_session
from tracker.users import actor_for, has_users
from tracker.writes.imports.importer import import_workbook

pytestmark = pytest.mark.usefixtures("fast_hashing")
PAGE = "tracker/dashboard/pages/admin.py"


@pytest.fixture
def scenario_engine(engine: Engine, tmp_path: Path) -> Engine:
    load_scenario(engine, tmp_path / "workbook")
    return engine


def _app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("TRACKER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return AppTest.from_file(str(DASHBOARD), default_timeout=180)


@pytest.fixture
def admin_page(scenario_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    at = _app(scenario_engine, monkeypatch)
    at.session_state[SIGNED_IN] = "ann"
    at.run()
    yield at.switch_page(PAGE).run()


def _by_label(elements: object, label: str) -> object:
    return next(e for e in elements if e.label == label)  # type: ignore[attr-defined]


def members(engine: Engine, portfolio: str) -> set[str]:
    with read_session(engine) as session:
        return set(session.scalars(
            select(models.Institution.key)
            .join(models.PortfolioMember,
                  models.PortfolioMember.institution_id == models.Institution.id)
            .join(models.Portfolio, models.Portfolio.id == models.PortfolioMember.portfolio_id)
            .where(models.Portfolio.key == portfolio)
        ))


def test_the_page_is_in_the_administrator_section() -> None:
    spec = page_spec("admin")
    assert (spec.audience, spec.roles) == ("Administrator", frozenset({"admin"}))


def test_an_administrator_creates_a_portfolio_with_members_and_funders(
    admin_page: AppTest, scenario_engine: Engine
) -> None:
    at = admin_page
    assert not at.exception, [e.value for e in at.exception]
    _by_label(at.text_input, "Key").input("fund-three")
    _by_label(at.text_input, "Name").input("Fund Three")
    _by_label(at.multiselect, "Institutions").set_value(["alder", "cedar"])
    _by_label(at.multiselect, "Funders who read it").set_value(["fay"])
    _by_label(at.text_input, "Reason (kept in the audit log)").input("new grant")
    at = at.button(key="FormSubmitter:portfolio-Save the portfolio").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Portfolio fund-three saved" in at.success[0].value
    assert members(scenario_engine, "fund-three") == {"alder", "cedar"}
    assert actor_for(scenario_engine, "fay").portfolios == {"fund-two", "fund-three"}
    with read_session(scenario_engine) as session:
        actions = session.execute(
            select(models.AuditEntry.action, models.AuditEntry.reason)
            .where(models.AuditEntry.actor == "ann")
        ).all()
    assert ("add", "new grant") in actions and ("user_scope", "new grant") in actions


def test_an_administrator_takes_an_institution_out_of_a_portfolio(
    admin_page: AppTest, scenario_engine: Engine
) -> None:
    at = admin_page
    _by_label(at.selectbox, "Portfolio").set_value("fund-one").run()
    members_box = _by_label(at.multiselect, "Institutions")
    assert set(members_box.value) == {"alder", "birch"}
    members_box.set_value(["alder"])
    at = at.button(key="FormSubmitter:portfolio-Save the portfolio").click().run()
    assert not at.error, [e.value for e in at.error]
    assert members(scenario_engine, "fund-one") == {"alder"}


def test_an_administrator_adds_a_user_with_a_scope(
    admin_page: AppTest, scenario_engine: Engine
) -> None:
    at = admin_page
    _by_label(at.text_input, "Name (an e-mail address for OpenID Connect logins)").input("ola")
    _by_label(at.selectbox, "Role").set_value("institution")
    _by_label(at.multiselect, "Institutions (evaluator, institution viewer)").set_value(["birch"])
    _by_label(at.text_input, "Password (empty: OpenID Connect login only)").input("ola's pass")
    _by_label(at.text_input, "The password again").input("ola's pass")
    at = at.button(key="admin_add_save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert actor_for(scenario_engine, "ola").institutions == {"birch"}
    assert "User ola added" in at.success[0].value
    assert _by_label(at.text_input, "Password (empty: OpenID Connect login only)").value == ""


def test_a_refused_user_keeps_what_was_typed(admin_page: AppTest) -> None:
    at = admin_page
    _by_label(at.text_input, "Name (an e-mail address for OpenID Connect logins)").input("uma")
    _by_label(at.selectbox, "Role").set_value("funder")
    _by_label(at.text_input, "Password (empty: OpenID Connect login only)").input("one pass")
    _by_label(at.text_input, "The password again").input("another pass")
    at = at.button(key="admin_add_save").click().run()
    assert "the two passwords differ" in at.error[0].value
    assert _by_label(at.selectbox, "Role").value == "funder"
    assert _by_label(
        at.text_input, "Name (an e-mail address for OpenID Connect logins)"
    ).value == "uma"


def test_a_refused_user_is_a_message_not_an_exception(admin_page: AppTest) -> None:
    at = admin_page
    _by_label(at.text_input, "Name (an e-mail address for OpenID Connect logins)").input("ivy")
    _by_label(at.selectbox, "Role").set_value("admin")
    _by_label(at.text_input, "Password (empty: OpenID Connect login only)").input("long enough")
    _by_label(at.text_input, "The password again").input("long enough")
    at = at.button(key="admin_add_save").click().run()
    assert not at.exception
    assert "already a user 'ivy'" in at.error[0].value


def test_without_users_the_first_account_must_be_an_administrator(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_workbook(engine, write_csvs(tmp_path / "wb", workbook_tables()),
                    actor=local_operator())
    at = _app(engine, monkeypatch).run()
    assert any("No users exist" in c.value for c in at.sidebar.caption)
    at = at.switch_page(PAGE).run()
    name_box = "Name (an e-mail address for OpenID Connect logins)"
    _by_label(at.text_input, name_box).input("eve")
    _by_label(at.selectbox, "Role").set_value("evaluator")
    _by_label(at.multiselect, "Institutions (evaluator, institution viewer)").set_value(["alder"])
    _by_label(at.text_input, "Password (empty: OpenID Connect login only)").input("eve's pass")
    _by_label(at.text_input, "The password again").input("eve's pass")
    at = at.button(key="admin_add_save").click().run()
    assert "first user must be an administrator" in at.error[0].value
    assert not has_users(engine)
    # the refused form kept what was typed: the administrator takes no institution
    assert _by_label(at.text_input, name_box).value == "eve"
    _by_label(at.text_input, name_box).input("ann")
    _by_label(at.selectbox, "Role").set_value("admin")
    _by_label(at.multiselect, "Institutions (evaluator, institution viewer)").set_value([])
    _by_label(at.text_input, "Password (empty: OpenID Connect login only)").input("ann's pass")
    _by_label(at.text_input, "The password again").input("ann's pass")
    at = at.button(key="admin_add_save").click().run()
    assert not at.error
    assert actor_for(engine, "ann").is_admin
    # From now on the dashboard asks for a login.
    assert [t.label for t in at.run().text_input] == ["Name", "Password"]
