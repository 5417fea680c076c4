"""Dashboard sessions kept by the browser: a signed, expiring token, valid only while its
server-side row is live; logout revokes it; a tampered or expired cookie logs nobody in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from tracker.access import local_operator
from tracker.browser_sessions import end_session, session_user, start_session
from tracker.users import add_user
from tracker.writes.history.audit import now


@pytest.fixture
def with_user(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "test secret")
    add_user(engine, "eve", role="admin", password="a long password here", actor=local_operator())
    return engine


def test_a_session_cookie_logs_its_user_in_until_logout(with_user: Engine) -> None:
    cookie = start_session(with_user, "eve")
    assert session_user(with_user, cookie.value) == "eve"
    assert 11 * 3600 < cookie.max_age <= 12 * 3600
    end_session(with_user, cookie.value)
    assert session_user(with_user, cookie.value) is None


def test_a_tampered_expired_or_foreign_cookie_logs_nobody_in(
    with_user: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie = start_session(with_user, "eve").value
    token, expiry, signature = cookie.split(".")
    assert session_user(with_user, f"{token}.{int(expiry) + 3600}.{signature}") is None
    assert session_user(with_user, f"{token[:-1]}x.{expiry}.{signature}") is None
    assert session_user(with_user, "garbage") is None
    assert session_user(with_user, None) is None
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "another secret")
    assert session_user(with_user, cookie) is None
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "test secret")
    assert session_user(with_user, cookie) == "eve"
    later = now() + dt.timedelta(hours=13)
    monkeypatch.setattr("tracker.browser_sessions.now", lambda: later)
    assert session_user(with_user, cookie) is None


def _tracker(engine: Engine, *args: str, stdin: str | None = None) -> int:
    from typer.testing import CliRunner

    from tracker.cli import app

    result = CliRunner().invoke(app, [*args, "--db", engine.url.render_as_string(
        hide_password=False)], input=stdin)
    assert result.exit_code == 0, result.output
    return result.exit_code


def test_disabling_an_account_ends_its_sessions_for_good(with_user: Engine) -> None:
    add_user(with_user, "ana", role="admin", password="another long password",
             actor=local_operator())
    cookie = start_session(with_user, "ana").value
    _tracker(with_user, "users", "disable", "ana")
    assert session_user(with_user, cookie) is None
    _tracker(with_user, "users", "enable", "ana")
    # Enabled again, the account logs in afresh; the session made before does not come back.
    assert session_user(with_user, cookie) is None
    assert session_user(with_user, start_session(with_user, "ana").value) == "ana"


def test_a_changed_password_ends_every_other_session(with_user: Engine) -> None:
    from tracker.users import actor_for, set_password

    here, elsewhere = (start_session(with_user, "eve").value for _ in range(2))
    # Changed in the dashboard session `here`: that one goes on, every other one ends.
    set_password(with_user, "eve", "a brand new long password", actor=actor_for(with_user, "eve"),
                 keep_session=here)
    assert session_user(with_user, here) == "eve"
    assert session_user(with_user, elsewhere) is None
    # Changed from the command line: no session is the one it was made in, so all end.
    _tracker(with_user, "users", "passwd", "eve", "--password-stdin",
             stdin="yet another long password\n")
    assert session_user(with_user, here) is None
