"""First steps on an empty database, in the browser's terms: the first administrator is
created on the page (password asked twice) and is logged in at once."""

from __future__ import annotations

import pytest

from tests.dashboard.test_pages import open_page
from tracker.dashboard.navigation import page_spec
from tracker.db import make_engine
from tracker.users import actor_for, has_users


def test_the_first_administrator_is_created_on_an_empty_database_and_logged_in(
    monkeypatch: pytest.MonkeyPatch, empty_url: str
) -> None:
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "first steps test")
    at = open_page(monkeypatch, empty_url, page_spec("log-quarter"))
    assert "Logging a quarter needs the institution" in "\n".join(i.value for i in at.info)
    at.text_input(key="first_admin_name").input("ann")
    at.text_input(key="first_admin_password").input("a long enough password")
    at.text_input(key="first_admin_again").input("a different password")
    at = at.button(key="first_admin_save").click().run()
    assert "the two passwords differ" in at.error[0].value
    engine = make_engine(empty_url)
    assert not has_users(engine)
    at.text_input(key="first_admin_again").input("a long enough password")
    at = at.button(key="first_admin_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert actor_for(engine, "ann").is_admin
    engine.dispose()
    assert any("Signed in as ann" in c.value for c in at.sidebar.caption)
